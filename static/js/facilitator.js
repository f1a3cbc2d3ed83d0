/* The facilitator's control page: move through the agenda, open / close / reveal / re-vote a
 * round (a level vote or a checklist round, whose disputed lines can be re-run alone), ask
 * outliers why, run the ideas phase, decide the agreed and target level, record votes for people
 * without a phone (proxies.js). The facilitator always sees the live counts. The room's state comes
 * from room_view.js; the ideas' curation is idea_curation.js, the indicators' editor indicators.js.
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, tx = L.tx, el = L.el, fill = L.fill;
  var room = L.watchRoom({
    role: "facilitator",
    keepHiddenIdeas: true,
    timer: "timer",
    snapshot: function (snap) { proxies.set(snap.proxies); },
    render: {
      all: render,
      tally: function () { renderCounts(); renderResults(); renderDecision(); },
      decision: render,
      ideas: renderIdeas,
      reasons: renderReasons,
    },
  });
  var client = room.client, setStage = room.setStage;
  var state = Object.assign(room.state, { busy: false, queued: null, formKey: null });
  var proxies = window.ProxyVotes(client, function () { return { round: round(), criterion: current() }; },
                                  function (message) { fill("action-error", message); });

  /* ---------- actions ---------- */

  function act(event, payload) {
    if (state.busy) return Promise.resolve(null);
    var pressed = document.activeElement;
    state.busy = true;
    renderControls();
    fill("action-error", "");
    return client.send(event, payload).then(function (ack) {
      state.busy = false;
      if (!ack.ok) fill("action-error", ack.error ? ack.error.message : t("server_error"));
      else if (ack.stage) setStage(ack.stage);
      render();
      keepFocus(pressed);
      if (state.queued) {  // a shortcut pressed while the last step was on its way
        var next = state.queued;
        state.queued = null;
        setTimeout(function () { run(next); }, 0);
      }
      return ack;
    });
  }

  /** Run a step now, or right after the one in flight (a key pressed meanwhile is not lost). */
  function run(name) {
    if (state.busy && name !== "help") { state.queued = name; return; }
    actions[name]();
  }

  /** A control that was disabled while its step was on its way gives the keyboard back to it,
   * or, when the step made it moot, to the next control the facilitator can use (open leads to
   * close, close to reveal, ...); a chosen agenda item to the new current one. */
  function keepFocus(pressed) {
    if (!pressed || pressed === document.body || (document.activeElement && document.activeElement !== document.body)) return;
    var target = pressed;
    if (pressed.classList.contains("agenda-item")) target = document.querySelector("#agenda .current .agenda-item");
    else if (!pressed.isConnected || pressed.disabled) {
      var tools = Array.prototype.slice.call(document.querySelectorAll(".controls button"));
      var at = tools.indexOf(pressed);
      target = at < 0 ? null : tools.slice(at + 1).concat(tools.slice(0, at)).filter(function (b) { return !b.disabled; })[0];
    }
    if (target) target.focus();
  }

  function current() { return state.stage && state.stage.criterion; }
  function round() { return state.stage && state.stage.round; }
  function agendaIndex() { var c = current(); return c ? c.index : -1; }

  /* Retry-safe payloads (docs/protocol.md): each names the state it expects, so a copy resent
   * after a lost acknowledgement changes nothing more than the first. */
  function openNext(c, r) {
    act("open_round", { criterion: c.code, number: r ? r.number + 1 : 1 });
  }

  function hasChecklist(c) {
    return !!c && c.levels.some(function (level) { return level.checklist && level.checklist.length; });
  }

  /** The lines the room disputes in the revealed checklist round shown, for a re-run. */
  function disputedLines() {
    var r = round(), results = state.stage && state.stage.results;
    if (!r || r.state !== "revealed" || !results || !results.checklist) return [];
    return results.checklist.disputed;
  }

  /** The decision "undo" takes back: the newest one in force (the highest id). */
  function lastDecision() {
    return Object.keys(state.decisions).reduce(function (found, code) {
      var d = state.decisions[code];
      return !found || d.id > found.id ? d : found;
    }, null);
  }

  var actions = {
    open: function () { var c = current(); if (c && !round()) openNext(c, null); },
    checklist: function () {
      var c = current(), r = round();
      if (hasChecklist(c) && (!r || r.state !== "open")) {
        act("open_round", { criterion: c.code, number: r ? r.number + 1 : 1, kind: "checklist" });
      }
    },
    rerun: function () {
      var c = current(), r = round(), lines = disputedLines();
      if (c && lines.length) act("open_round", { criterion: c.code, number: r.number + 1, kind: "checklist", lines: lines });
    },
    revote: function () {
      var c = current(), r = round();
      if (c && r && r.state !== "open") openNext(c, r);
    },
    close: function () { var r = round(); if (r && r.state === "open") act("close_round", { round_id: r.id }); },
    reveal: function () { var r = round(); if (r && r.state === "closed") act("reveal", { round_id: r.id }); },
    explain: function () {
      var r = round();
      /* Only after the reveal: the band and the reasons are derived from the votes. */
      if (r && r.state === "revealed") act("explain", { round_id: r.id, open: !explainOpen() });
    },
    ideas: function () { var c = current(); if (c) act("ideas_phase", { criterion: c.code, open: !state.stage.ideas_open }); },
    timer: function () { var c = current(); if (c) act("timer", { criterion: c.code, running: !state.stage.timer }); },
    next: function () { go(1); },
    prev: function () { go(-1); },
    undo: function () {
      var last = lastDecision();
      if (!last) { fill("decide-status", t("nothing_to_undo")); return; }
      act("undo_decision", { decision_id: last.id }).then(function (ack) {
        if (ack && ack.ok) {
          if (ack.decision) state.decisions[ack.criterion] = ack.decision; else delete state.decisions[ack.criterion];
          fill("decide-status", t("undone"));
          state.formKey = null;
          render();
        }
      });
    },
    help: function () { document.getElementById("help").classList.toggle("highlight"); document.getElementById("help").scrollIntoView(); },
    decide: function () { submitDecision(); },
  };

  function explainOpen() {
    var r = round(), e = state.stage && state.stage.explain;
    return !!(r && e && e.round_id === r.id);
  }

  function go(step) {
    var agenda = state.snap ? state.snap.agenda : [];
    var i = agendaIndex() + step;
    if (i >= 0 && i < agenda.length) act("goto", { criterion: agenda[i].code });
  }

  document.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () { run(button.dataset.action); });
  });

  var KEYS = { k: "checklist", l: "rerun", o: "open", c: "close", r: "reveal", e: "explain", v: "revote", i: "ideas", n: "next",
               p: "prev", u: "undo", d: "decide", t: "timer", "?": "help" };
  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var name = KEYS[event.key.toLowerCase()] || KEYS[event.key];
    if (!name) return;
    event.preventDefault();
    run(name);
  });

  /* ---------- decision ---------- */

  /** The room's proposal: the level the server proposes from the closed round's votes (the
   * median rounded down) or from its checklist (domain/consensus.py, services/checklists.py). */
  function roomProposal() {
    var results = state.stage && state.stage.results;
    var level = results && results.proposed_level;
    if (level === null || level === undefined) return null;
    return { level: level, from: results.checklist ? "checklist" : "votes" };
  }

  /** What the decision form proposes: the room's level, else (or when the facilitator ticks the
   * box) the level a results item's indicators suggest. The server applies the same rule. */
  function proposal() {
    var room = roomProposal(), indicators = state.stage && state.stage.indicators;
    var suggested = indicators && indicators.suggested_level !== null && indicators.suggested_level !== undefined
      ? { level: indicators.suggested_level, from: "indicators" } : null;
    var choice = document.getElementById("use-indicators");
    choice.parentNode.hidden = !(room && suggested);
    if (suggested && (!room || choice.checked)) return suggested;
    return room || { level: null, from: null };
  }

  function proposedLevel() { return proposal().level; }

  document.getElementById("use-indicators").addEventListener("change", function () { renderDecision(); });

  document.getElementById("decide-form").addEventListener("submit", function (event) {
    event.preventDefault();
    submitDecision();
  });

  function submitDecision() {
    var c = current();
    if (!c) return;
    var payload = {
      criterion: c.code,
      agreed_level: Number(document.getElementById("agreed").value),
      target_level: Number(document.getElementById("target").value),
      importance: Number(document.getElementById("importance").value),
    };
    var note = document.getElementById("decide-note").value.trim();
    if (note) payload.note = note;
    var proposed = proposedLevel();
    if (proposal().from === "indicators") payload.proposed_from = "indicators";
    if (proposed !== null && payload.agreed_level !== proposed && !note) {
      fill("decide-status", t("note_required"));
      document.getElementById("decide-note").focus();
      return;
    }
    act("decide", payload).then(function (ack) {
      if (ack && ack.ok) {
        state.decisions[c.code] = ack.decision;
        fill("decide-status", t("decision_saved"));
        render();
      }
    });
  }

  /* ---------- rendering ---------- */

  function render() {
    if (!state.stage) return;
    renderAgenda();
    renderCriterion();
    renderCounts();
    renderControls();
    renderResults();
    renderDecision();
    renderReasons();
    renderIdeas();
    proxies.render();
  }

  function renderAgenda() {
    var agenda = state.snap.agenda, here = agendaIndex();
    var decided = L.decidedCount(state);
    fill("progress-text", t("criterion_of", { n: decided, total: agenda.length }));
    var bar = document.getElementById("progress");
    bar.max = agenda.length || 1;
    bar.value = decided;
    fill("agenda", agenda.map(function (item, i) {
      var decision = state.decisions[item.code];
      return el("li", { class: (i === here ? "current" : "") + (decision ? " decided" : "") }, el("button", {
        type: "button", class: "agenda-item", "aria-current": i === here ? "step" : null,
        onclick: function () { if (i !== here) act("goto", { criterion: item.code }); },
      }, [
        el("span", { class: "crit-code", text: item.code }),
        el("span", { class: "agenda-title", text: tx(item.title) }),
        decision ? el("span", { class: "agenda-mark", title: t("decided", { level: decision.agreed_level }),
                                 text: "✓ " + decision.agreed_level }) : null,
      ]));
    }).concat([el("li", { class: "agenda-end-mark", "aria-hidden": "true", text: t("agenda_end_mark") })]));
    renderAgendaEnd(decided, agenda.length);
  }

  function renderAgendaEnd(decided, total) {
    var place = L.agendaPlace(state), box = document.getElementById("agenda-end");
    box.hidden = !place;
    box.dataset.state = place === "end" ? "done" : "last";
    fill(box, place === "end" ? t("agenda_ended", { n: decided, total: total }) : place ? t("agenda_last") : "");
  }

  function renderCriterion() {
    var c = current();
    fill("criterion", L.criterionCard(c, { progress: true, guidance: "line", below: c ? [
      window.IndicatorView.editor(state.stage.indicators, c.code, client, function (message) { fill("action-error", message); }),
    ] : [] }));
  }

  function renderCounts() {
    var r = round();
    fill("present", String(state.presence.present));
    var pill = fill("round-state", r ? t("round_n", { n: r.number }) + " · " + t("state_" + r.state) : t("state_none"));
    pill.dataset.state = r ? r.state : "none";
    fill("voted", r ? t("voted_of", { voted: state.presence.voted, present: state.presence.present }) : "");
  }

  function renderControls() {
    var r = round(), here = agendaIndex(), total = state.snap ? state.snap.agenda.length : 0;
    var open = r && r.state === "open";
    var enabled = {
      open: !!current() && !r, close: !!open, reveal: !!(r && r.state === "closed"),
      explain: !!(r && r.state === "revealed"), revote: !!(r && r.state !== "open"), ideas: !!current(), timer: !!current(),
      checklist: hasChecklist(current()) && !open, rerun: disputedLines().length > 0,
      prev: here > 0 && !open, next: here >= 0 && here < total - 1 && !open, undo: true, help: true,
    };
    document.querySelectorAll("[data-action]").forEach(function (button) {
      var name = button.dataset.action;
      button.disabled = state.busy || enabled[name] === false;
    });
    fill("explain-label", explainOpen() ? t("explain_stop") : t("explain_start"));
    fill("ideas-label", state.stage.ideas_open ? t("ideas_stop") : t("ideas_start"));
    fill("timer-label", state.stage.timer ? t("timer_stop") : t("timer_start"));
    var lines = disputedLines();
    fill("rerun-label", lines.length ? t("rerun_lines", { ids: lines.join(", ") }) : t("rerun_lines", { ids: "–" }));
  }

  function resultsBlock(results, title) {
    return L.resultsBlock(current(), results, {
      className: "result-block", heading: "h3", title: title, figures: ["median", "iqr", "agreement"] });
  }

  /** Who sees the votes now: the facilitator alone until the reveal (the projector too in live
   * results mode), the whole room after it. */
  function resultsHeading(r) {
    if (r && r.state === "revealed") return t("results_revealed");
    return state.snap.session.results_mode === "live" ? t("results_live") : t("results_private");
  }

  function renderResults() {
    var c = current(), results = state.stage.results;
    var previous = results && results.checklist ? null : state.stage.previous;
    var r = round();
    fill("results-heading", resultsHeading(r));
    fill("results", c && results ? resultsBlock(results, previous ? t("round_n", { n: r.number }) : "")
                                 : el("p", { class: "muted", text: t("state_none") }));
    var prev = document.getElementById("previous");
    prev.hidden = !previous;
    if (previous && c) fill(prev, resultsBlock(previous, t("round_n", { n: previous.round.number })));
  }

  function levelOptions(select, chosen, minimum) {
    var levels = current().levels;
    fill(select, levels.filter(function (l) { return minimum === undefined || l.value >= minimum; }).map(function (l) {
      return el("option", { value: l.value, selected: l.value === chosen, text: l.value + " · " + tx(l.label) });
    }));
  }

  function renderDecision() {
    var c = current();
    if (!c) return;
    if (state.statusFor !== c.code) {  // a status said about one criterion is not about the next
      state.statusFor = c.code;
      fill("decide-status", "");
    }
    var proposed = proposedLevel();
    var decision = state.decisions[c.code];
    fill("proposal", [
      proposed === null ? t("no_proposal") : t("proposed", { level: proposed }) + " " + t("proposed_from_" + proposal().from),
      decision ? el("strong", { class: "decided-now", text: " · " + t("decided", { level: decision.agreed_level }) }) : null,
    ]);
    var key = c.code + ":" + (round() ? round().id + round().state : "") + ":" + proposed + ":" + (decision ? decision.decided_at : "");
    if (key === state.formKey) return;  // keep what the facilitator is typing
    state.formKey = key;
    var levels = c.levels.map(function (l) { return l.value; });
    var top = levels[levels.length - 1];
    var agreed = decision ? decision.agreed_level : proposed !== null ? proposed : levels[0];
    var target = decision ? decision.target_level : Math.min(agreed + 1, top);
    levelOptions(document.getElementById("agreed"), agreed);
    levelOptions(document.getElementById("target"), target);
    document.getElementById("importance").value = String(decision ? decision.importance : 3);
    document.getElementById("decide-note").value = decision && decision.note ? decision.note : "";
  }

  function renderReasons() {
    var band = state.stage && state.stage.explain && state.stage.explain.band;
    var items = state.reasons.items || [];
    fill("reasons", [
      band ? el("li", { class: "muted small", text: t("explain_band", { low: band[0], high: band[1] }) }) : null,
    ].concat(items.length ? items.map(function (item) {
      return el("li", {}, [el("span", { class: "reason-level", text: t("level_n", { n: item.level }) }), " ",
                           el("span", { text: item.text }), item.name ? el("span", { class: "muted small", text: " — " + item.name }) : null]);
    }) : [el("li", { class: "muted", text: t("no_reasons") })]));
  }

  function renderIdeas() {
    var c = current();
    window.IdeaCuration.render(document.getElementById("ideas"), state.ideas, c && c.code, client, function (idea) {
      state.ideas[idea.id] = Object.assign({}, state.ideas[idea.id], idea);
      renderIdeas();
    });
  }

  window.IdeaCuration.addForm(document.getElementById("add-idea-form"), function () { var c = current(); return c && c.code; },
                              client, function (idea) { state.ideas[idea.id] = idea; renderIdeas(); });
})();
