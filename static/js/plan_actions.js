/* The actions of one plan item in the plan editor (plan.js): the list, each action edited in
 * place, dropped, or merged with others, a form to add one, and the room's proposed actions to
 * take over. Every change goes out through the editor's hooks, which own saving and conflicts.
 */
(function () {
  "use strict";
  var L = window.Live, el = L.el, t = L.t;

  /** Fill `box` with the actions of `item`; hooks: change(body) sends a change of the list
   *  ({op: "add" | "edit" | "drop" | "merge", ...}), typing() while a change waits for the
   *  typist's pause of delayMs, refuse(text) for a step that cannot be sent. */
  function render(box, item, hooks) {
    var list = el("ol", { "class": "actions-list" });
    item.actions.forEach(function (action, index) {
      var n = index + 1, id = "a-" + item.id + "-" + index;
      var input = el("input", { id: id, maxlength: L.limit("plan_action"), "aria-label": t("action_n", { n: n }) });
      input.value = action.text;
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        hooks.typing();
        timer = setTimeout(function () {
          if (input.value.trim()) hooks.change({ op: "edit", index: index, text: input.value });
        }, hooks.delayMs);
      });
      list.appendChild(el("li", { "class": "action-row" }, [
        el("input", { type: "checkbox", "class": "merge-pick", value: index,
                      "aria-label": t("select_action", { n: n }) }),
        input,
        el("button", { type: "button", "class": "secondary small", text: t("drop"),
                       "aria-label": t("drop_named", { n: n }),
                       onclick: function () { hooks.change({ op: "drop", index: index }); } }),
      ]));
    });
    var addId = "new-" + item.id;
    var newInput = el("input", { id: addId, maxlength: L.limit("plan_action"), placeholder: t("new_action") });
    var addForm = el("form", { "class": "action-add", onsubmit: function (event) {
      event.preventDefault();
      if (!newInput.value.trim()) return;
      hooks.change({ op: "add", text: newInput.value });
    } }, [el("label", { "for": addId, "class": "visually-hidden", text: t("new_action") }), newInput,
          el("button", { type: "submit", "class": "small", text: t("add_action") })]);
    var merge = el("button", { type: "button", "class": "secondary small", text: t("merge_selected"),
                               title: t("merge_hint"), onclick: function () {
      var picked = Array.prototype.map.call(box.querySelectorAll(".merge-pick:checked"),
                                            function (node) { return Number(node.value); });
      if (picked.length < 2) { hooks.refuse(t("merge_hint")); return; }
      hooks.change({ op: "merge", indexes: picked });
    } });
    var proposed = (item.proposed_actions || []).map(function (action) {
      return el("li", {}, [el("span", { text: action.text }), " ",
        el("span", { "class": "muted small", text: t("upvotes", { n: action.upvotes || 0 }) }), " ",
        el("button", { type: "button", "class": "secondary small", text: t("add_proposed"),
                       onclick: function () { hooks.change({ op: "add", text: action.text }); } })]);
    });
    L.fill(box, [
      el("h4", { text: t("actions") }),
      item.actions.length ? list : el("p", { "class": "muted", text: t("no_actions") }),
      item.actions.length > 1 ? el("p", { "class": "merge-row" }, [merge, " ",
        el("span", { "class": "hint", text: t("merge_hint") })]) : null,
      addForm,
      el("p", { "class": "field-note", role: "alert" }),
      proposed.length ? el("details", { "class": "proposed" }, [
        el("summary", { text: t("proposed") }), el("ul", {}, proposed)]) : null,
    ]);
    box.classList.add("field");
  }

  window.PlanActions = { render: render };
})();
