/* The plan editor (templates/plan/editor.html): every field edited in place and saved as you
 * type (debounced), under the server's version check. A conflict shows the other editor's value
 * in the field and keeps yours beside it to re-apply; nothing typed is lost. Items move up and
 * down with buttons (keyboard reachable); actions are added, edited, merged and removed.
 * Words come from the JSON block #i18n, the plan from #plan-data; user text only via textContent.
 * Saving is plan_saving.js, an item's actions plan_actions.js, the charts and views plan_views.js.
 */
(function () {
  "use strict";

  var L = window.Live, el = L.el, t = L.t, tx = L.tx;
  var app = document.getElementById("plan-app");
  var SAVE_DELAY_MS = 700;
  function field(name, element) { return [name, element, L.limit("plan_" + name)]; }
  var FIELD = {  // name -> [name, element, most characters (workshop/domain/limits.py)]
    ofi: field("ofi", "textarea"), objective: field("objective", "textarea"),
    project: field("project", "textarea"), owner: field("owner", "input"),
    owner_person: field("owner_person", "input"), indicator: field("indicator", "textarea"),
    target_value: field("target_value", "input"), budget_amount: ["budget_amount", "input", 32],
    budget_source: field("budget_source", "input"), budget_note: field("budget_note", "textarea"),
    evidence: field("evidence", "textarea"),
  };
  var plan = L.readJson("plan-data");
  var items = {};        // id -> the item as the server last sent it
  var pending = {};      // "id:field" -> {timer, run}
  var saving = window.PlanSaving(app.dataset.base, app.dataset.csrf, document.getElementById("save-state"));
  var send = saving.send, change = saving.change, showState = saving.showState, refusal = saving.refusal;

  function settled(text) {
    if (!saving.busy() && !Object.keys(pending).length) showState("saved", text || t("saved"));
  }

  // -- one field -----------------------------------------------------------------------------

  function fieldValue(input) {
    return input.type === "checkbox" ? input.checked : input.value;
  }

  function saveField(id, field, input, value, base, version) {
    change(id, "PATCH", "/items/" + id, function () {
      var item = items[id];
      return { field: field, value: value, version: version === undefined ? item.version : version,
               base: base === undefined ? item[field] : base };
    }, function (answer) {
      var box = input.closest(".field");
      if (answer.status === 200 && answer.data.ok) {
        accept(answer.data.item, field);
        clearConflict(box);
        settled(answer.data.merged ? t("merged") : null);
        if (field === "out_of_scope") reload();
      } else if (answer.status === 409) {
        accept(answer.data.item, field);
        showConflict(box, id, field, input, value, answer.data.item);
      } else {
        markError(box, refusal(answer));
        showState("error", refusal(answer));
      }
    });
  }

  function accept(item, editedField) {
    var old = items[item.id] || {};
    items[item.id] = Object.assign({}, old, item);
    var card = document.getElementById("item-" + item.id);
    if (!card) return;
    var label = card.querySelectorAll("[data-quarter-label]");
    Array.prototype.forEach.call(label, function (node) {
      node.textContent = (item.quarter_labels || {})[node.dataset.quarterLabel] || "";
    });
    if (editedField === "actions") renderActions(card.querySelector(".actions-box"), items[item.id]);
    drawViews(false);
  }

  function schedule(id, field, input) {
    var key = id + ":" + field;
    if (pending[key]) clearTimeout(pending[key].timer);
    var run = function () {
      delete pending[key];
      saveField(id, field, input, fieldValue(input));
    };
    pending[key] = { timer: setTimeout(run, SAVE_DELAY_MS), run: run };
    showState("typing", t("saving"));
  }

  function flush() {
    Object.keys(pending).forEach(function (key) {
      clearTimeout(pending[key].timer);
      pending[key].run();
    });
  }

  function clearConflict(box) {
    if (!box) return;
    box.classList.remove("has-conflict", "has-error");
    var note = box.querySelector(".field-note");
    if (note) L.fill(note, []);
  }

  function markError(box, text) {
    if (!box) return;
    box.classList.add("has-error");
    L.fill(box.querySelector(".field-note"), text);
  }

  function showConflict(box, id, field, input, mine, theirs) {
    showState("conflict", t("conflict"));
    if (field === "year_targets") { drawViews(true); return; }  // theirs shown; choose again
    if (field === "actions") { renderActions(document.querySelector("#item-" + id + " .actions-box"), items[id]); }
    else if (input.type === "checkbox") input.checked = !!theirs[field];
    else input.value = theirs[field] || "";
    if (!box) return;
    box.classList.add("has-conflict");
    var shownMine = field === "actions" ? mine : (typeof mine === "boolean" ? (mine ? "✓" : "✗") : mine);
    L.fill(box.querySelector(".field-note"), [
      el("span", { "class": "conflict-text", text: t("conflict") }), " ",
      el("span", { "class": "yours" }, [t("yours"), " ", el("q", { "class": "mine", text: shownMine || "–" })]), " ",
      field === "actions" ? null : el("button", {
        type: "button", "class": "secondary small", text: t("reapply"), onclick: function () {
          if (input.type === "checkbox") input.checked = mine; else input.value = mine;
          saveField(id, field, input, mine, theirs[field], theirs.version);
        },
      }),
      el("button", { type: "button", "class": "secondary small", text: t("keep_theirs"),
                     onclick: function () { clearConflict(box); settled(); } }),
    ]);
  }

  // -- building an item ------------------------------------------------------------------------

  function levelName(value) {
    var found = plan.levels.filter(function (l) { return l.value === value; })[0];
    return found ? t("level_short", { n: value }) + " " + tx(found.label) : String(value);
  }

  function figure(label, value, cls) {
    return el("div", { "class": "figure " + (cls || "") }, [el("dt", { text: label }), el("dd", { text: value })]);
  }

  function textField(item, spec) {
    var field = spec[0], id = "f-" + item.id + "-" + field;
    var input = el(spec[1], { id: id, maxlength: spec[2], rows: spec[1] === "textarea" ? 2 : null,
                              dataset: { field: field } });
    input.value = (field === "budget_amount" ? item.budget_amount_text : item[field]) || "";
    input.addEventListener("input", function () { schedule(item.id, field, input); });
    return el("div", { "class": "field field-" + field }, [
      el("label", { "for": id, text: t(field) }), input, el("p", { "class": "field-note", role: "alert" })]);
  }

  /** The OFI field, with the room's kept OFIs offered beside it (exports use them while it is
   *  empty) and the kept strengths shown for reference. */
  function ofiField(item) {
    var box = textField(item, FIELD.ofi), input = box.querySelector("textarea");
    var kept = item.kept_ofis || [], strengths = item.strengths || [];
    input.placeholder = kept.join("\n");
    var offered = kept.map(function (text) {
      return el("li", {}, [el("span", { text: text }), " ", el("button", { type: "button", "class": "secondary small",
        text: t("use_ofi"), onclick: function () {
          input.value = input.value.trim() ? input.value.trim() + "\n" + text : text;
          schedule(item.id, "ofi", input);
        } })]);
    });
    if (offered.length) box.appendChild(el("details", { "class": "kept-ofis" }, [
      el("summary", { text: t("kept_ofis") }), el("ul", {}, offered)]));
    if (strengths.length) box.appendChild(el("p", { "class": "muted small strengths" }, [
      t("strengths") + ": ", el("span", { text: strengths.join("; ") })]));
    return box;
  }

  function quarterField(item, field) {
    var id = "f-" + item.id + "-" + field;
    var input = el("input", { id: id, maxlength: L.limit("plan_quarter"), placeholder: "ไตรมาส 1/2570", inputmode: "text",
                              "aria-describedby": id + "-label", dataset: { field: field } });
    input.value = item[field] || "";
    input.addEventListener("input", function () { schedule(item.id, field, input); });
    return el("div", { "class": "field field-quarter" }, [
      el("label", { "for": id, text: t(field) }), input,
      el("p", { id: id + "-label", "class": "hint", dataset: { quarterLabel: field },
                text: (item.quarter_labels || {})[field] || "" }),
      el("p", { "class": "field-note", role: "alert" })]);
  }

  function statusField(item) {
    var id = "f-" + item.id + "-status";
    var select = el("select", { id: id, dataset: { field: "status" } }, plan.statuses.map(function (s) {
      return el("option", { value: s, text: t("status_" + s) });
    }));
    select.value = item.status;
    select.addEventListener("change", function () { saveField(item.id, "status", select, select.value); });
    return el("div", { "class": "field field-status" }, [
      el("label", { "for": id, text: t("status") }), select, el("p", { "class": "field-note", role: "alert" })]);
  }

  function scopeField(item) {
    var id = "f-" + item.id + "-out_of_scope";
    var box = el("input", { id: id, type: "checkbox", dataset: { field: "out_of_scope" } });
    box.checked = !!item.out_of_scope;
    box.addEventListener("change", function () { flush(); saveField(item.id, "out_of_scope", box, box.checked); });
    return el("div", { "class": "field field-scope" }, [
      el("label", { "for": id, "class": "choice" }, [box, " ", t("out_of_scope")]),
      el("p", { "class": "field-note", role: "alert" })]);
  }

  function actionChange(item, body, box) {
    flush();
    /* The version and base are read when the change goes out, after this editor's own field
     * saves ahead of it are answered: those are not "someone else" (issue 11). */
    change(item.id, "POST", "/items/" + item.id + "/actions", function () {
      var current = items[item.id];
      body.version = current.version;
      body.base = current.actions.map(function (a) { return a.text; });
      return body;
    }, function (answer) {
      if (answer.status === 200 && answer.data.ok) {
        accept(answer.data.item, "actions");
        settled(answer.data.merged ? t("merged") : null);
      } else if (answer.status === 409) {
        accept(answer.data.item, "actions");
        var typed = body.text || body.base.join(" | ");
        showConflict(box, item.id, "actions", null, typed, answer.data.item);
      } else {
        markError(box, refusal(answer));
        showState("error", refusal(answer));
      }
    });
  }

  function renderActions(box, item) {
    window.PlanActions.render(box, item, {
      change: function (body) { actionChange(item, body, box); },
      typing: function () { showState("typing", t("saving")); },
      refuse: function (text) { markError(box, text); },
      delayMs: SAVE_DELAY_MS,
    });
  }

  function consensusText(item) {
    if (item.consensus === null || item.consensus === undefined) return t("no_votes");
    return t(item.consensus_reached ? "consensus_reached" : "consensus_not_reached") + " · " +
      t("agreement_index") + " " + L.agreement(item.consensus);
  }

  // the checklist lines of a decision taken on a checklist round; unmet lines are proposed OFIs
  function checklistLines(item) {
    var lines = item.checklist;
    if (!lines) return null;
    var ids = function (key) { return lines[key].map(function (l) { return l.id; }).join(", ") || "–"; };
    return el("div", { "class": "checklist-lines small" }, [
      el("p", { text: t("lines_met") + ": " + ids("met") + " · " + t("lines_not_met") + ": " + ids("not_met")
                      + " · " + t("lines_disputed") + ": " + ids("disputed") }),
      lines.proposed_ofis.length ? el("details", { "class": "proposed proposed-ofis", open: true }, [
        el("summary", { text: t("proposed_ofis") }),
        el("ul", {}, lines.proposed_ofis.map(function (l) {
          return el("li", {}, [el("span", { "class": "code", text: l.id }), " ", tx(l)]);
        }))]) : null,
    ]);
  }

  function itemCard(item, index, count) {
    var code = item.criterion_code;
    var up = el("button", { type: "button", "class": "secondary small move", dataset: { move: "up" },
                            "aria-label": t("move_up_named", { code: code }), title: t("move_up"),
                            disabled: index === 0, onclick: function () { move(item.id, "up"); } }, "↑");
    var down = el("button", { type: "button", "class": "secondary small move", dataset: { move: "down" },
                              "aria-label": t("move_down_named", { code: code }), title: t("move_down"),
                              disabled: index === count - 1, onclick: function () { move(item.id, "down"); } }, "↓");
    var chart = el("figure", { "class": "chart chart-small" });
    if (item.distribution) {
      window.Charts.distribution(chart, item.distribution, {
        title: t("distribution", { n: item.distribution.round }), notSure: t("not_sure"), medianLabel: t("median"),
        levels: plan.levels.map(function (l) { return { value: l.value, short: t("level_short", { n: l.value }) }; }),
      });
    }
    var actionsBox = el("div", { "class": "actions-box" });
    renderActions(actionsBox, item);
    return el("li", { id: "item-" + item.id, "class": "card plan-item" + (item.out_of_scope ? " is-out" : ""),
                      dataset: { code: code } }, [
      el("div", { "class": "item-head" }, [
        el("div", { "class": "move-buttons" }, [up, down]),
        el("h3", {}, [el("span", { "class": "code", text: code }), " ", tx(item.title)]),
        el("span", { "class": "pill", text: t("rank", { n: item.rank }) }),
        item.out_of_scope ? el("span", { "class": "pill pill-out", text: t("out_of_scope_badge") }) : null,
      ]),
      el("dl", { "class": "figures" }, [
        figure(t("current"), levelName(item.current_level)),
        figure(t("target"), levelName(item.target_level)),
        figure(t("gap"), String(item.gap)),
        figure(t("importance"), String(item.importance)),
        figure(t("priority"), String(item.priority), "figure-strong"),
        figure(t("consensus"), consensusText(item)),
      ]),
      item.note ? el("p", { "class": "muted small" }, [t("decision_note") + ": ", el("span", { text: item.note })]) : null,
      checklistLines(item),
      el("div", { "class": "item-body" }, [
        el("div", { "class": "item-fields" }, [
          ofiField(item), textField(item, FIELD.objective), textField(item, FIELD.project),
          textField(item, FIELD.owner), textField(item, FIELD.owner_person), statusField(item),
          quarterField(item, "start_quarter"), quarterField(item, "end_quarter"),
          textField(item, FIELD.indicator), textField(item, FIELD.target_value),
          textField(item, FIELD.budget_amount), textField(item, FIELD.budget_source),
          textField(item, FIELD.budget_note), textField(item, FIELD.evidence), scopeField(item),
        ]),
        el("div", { "class": "item-side" }, [actionsBox, chart]),
      ]),
    ]);
  }

  // -- the whole page --------------------------------------------------------------------------

  function render(focus) {
    items = {};
    plan.items.forEach(function (item) { items[item.id] = item; });
    var list = document.getElementById("plan-items");
    L.fill(list, plan.items.length ? plan.items.map(function (item, i) { return itemCard(item, i, plan.items.length); })
                                   : el("li", { "class": "muted", text: t("no_items") }));
    L.fill("open-criteria", plan.open.map(function (o) {
      return el("li", {}, [el("span", { "class": "code", text: o.criterion_code }), " ", tx(o.title), " ",
        el("span", { "class": "muted small", text: o.rounds_held ? t("open_voted") : t("open_not_voted") })]);
    }));
    L.fill("category-rows", plan.categories.map(function (c) {
      var mean = function (v) { return v === null ? "–" : (Math.round(v * 10) / 10).toFixed(1); };
      return el("tr", {}, [el("th", { scope: "row" }, [el("span", { "class": "code", text: c.code }), " ", tx(c.title)]),
        el("td", { "class": "num", text: c.decided + " / " + c.criteria }), el("td", { "class": "num", text: mean(c.mean_current) }),
        el("td", { "class": "num", text: mean(c.mean_target) }), el("td", { "class": "num", text: String(c.gaps) })]);
    }));
    drawCharts();
    drawViews(true);
    if (focus) {
      var button = document.querySelector("#item-" + focus.id + " [data-move='" + focus.direction + "']");
      if (button && button.disabled) button = document.querySelector("#item-" + focus.id + " .move:not([disabled])");
      if (button) button.focus();
    }
  }

  function drawCharts() {
    var values = plan.levels.map(function (l) { return l.value; });
    window.Charts.radar(document.getElementById("chart-radar"), plan.categories, values, {
      title: t("radar_title"), legendCurrent: t("legend_current"), legendTarget: t("legend_target"),
      empty: t("no_chart"), label: function (c) { return t("category_n", { code: c.code }) + " " + tx(c.title); },
      shortLabel: function (c) { return t("category_n", { code: c.code }); },
    });
    window.Charts.matrix(document.getElementById("chart-matrix"), plan.items, {
      title: t("matrix_title"), xLabel: t("matrix_x"), yLabel: t("matrix_y"), empty: t("no_chart"),
      maxGap: values[values.length - 1] - values[0],
      point: function (item) { return t("point", { code: item.criterion_code, gap: item.gap, importance: item.importance }); },
    });
  }

  /** The two views of the whole plan; `all` redraws the upgrade plan's selects too (only on a
   *  full render, so a select being used is never replaced under the pointer). */
  function drawViews(all) {
    var shown = plan.items.map(function (item) { return items[item.id] || item; });
    if (all) window.PlanViews.upgrade(document.getElementById("upgrade-plan"), plan, shown, chooseTarget);
    window.PlanViews.annual(document.getElementById("annual-plan"), shown);
  }

  function chooseTarget(item, year, level, select) {
    var targets = Object.assign({}, items[item.id].year_targets || {});
    targets[year] = level;
    saveField(item.id, "year_targets", select, targets);
  }

  function reload(focus) {
    send("GET", "/data").then(function (answer) {
      if (answer.status === 200 && answer.data.ok) {
        plan = answer.data.plan;
        render(focus);
      }
    });
  }

  function move(id, direction) {
    flush();
    change(id, "POST", "/items/" + id + "/move", { direction: direction }, function (answer) {
      if (answer.status === 200 && answer.data.ok) {
        settled(t("moved"));
        reload({ id: id, direction: direction });
      } else {
        showState("error", refusal(answer));
      }
    });
  }

  render();
})();
