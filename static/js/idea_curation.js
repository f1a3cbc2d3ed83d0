/* The facilitator's hand on the room's ideas, strengths and OFIs (docs/protocol.md: add_idea,
 * hide_idea, keep_idea, edit_idea, merge_ideas): one list per criterion, each item with its kind,
 * upvotes and the steps that change it. Every step is acknowledged; a refusal is shown in
 * #action-error and changes nothing on the page.
 */
(function () {
  "use strict";
  var L = window.Live, t = L.t, el = L.el, fill = L.fill;

  function step(client, event, payload, changed) {
    return client.send(event, payload).then(function (ack) {
      if (!ack.ok) { fill("action-error", ack.error ? ack.error.message : t("server_error")); return ack; }
      fill("action-error", "");
      changed(ack.idea);
      (ack.merged || []).forEach(function (id) { changed({ id: id, hidden: true, merged_into: ack.idea.id, kept: false }); });
      return ack;
    });
  }

  function mergeChoice(idea, others, client, changed) {
    if (!others.length || idea.hidden) return null;
    var select = el("select", { class: "merge-into", "aria-label": t("merge_into") },
      [el("option", { value: "", text: t("merge_into") })].concat(others.map(function (other) {
        return el("option", { value: String(other.id), text: other.text.slice(0, 40) });
      })));
    select.addEventListener("change", function () {
      if (select.value) step(client, "merge_ideas", { into: Number(select.value), ideas: [idea.id] }, changed);
    });
    return select;
  }

  function item(idea, list, client, changed) {
    var kind = idea.kind || "idea";
    var others = list.filter(function (o) { return o.id !== idea.id && (o.kind || "idea") === kind && !o.hidden; });
    return el("li", { class: "idea kind-" + kind + (idea.hidden ? " hidden-idea" : "") + (idea.kept ? " kept" : "") }, [
      el("span", { class: "idea-kind", text: t("kind_" + kind) }),
      el("span", { class: "idea-text", text: idea.text }),
      idea.author ? el("span", { class: "muted small", text: " — " + idea.author }) : null,
      el("span", { class: "idea-votes", text: t("upvotes", { n: idea.upvotes }) }),
      idea.merged_into ? null : el("button", { type: "button", class: "secondary small-button",
        text: idea.kept ? t("unkeep") : t("keep"), "aria-pressed": idea.kept ? "true" : "false",
        onclick: function () { step(client, "keep_idea", { idea_id: idea.id, kept: !idea.kept }, changed); } }),
      el("button", { type: "button", class: "secondary small-button", text: t("edit"), onclick: function () {
        var text = window.prompt(t("edit_prompt"), idea.text);
        if (text && text.trim() && text.trim() !== idea.text) step(client, "edit_idea", { idea_id: idea.id, text: text.trim() }, changed);
      } }),
      idea.merged_into ? null : el("button", { type: "button", class: "secondary small-button",
        text: idea.hidden ? t("show") : t("hide"),
        onclick: function () { step(client, "hide_idea", { idea_id: idea.id, hidden: !idea.hidden }, changed); } }),
      mergeChoice(idea, others, client, changed),
    ]);
  }

  function render(node, ideas, criterion, client, changed) {
    var list = L.ideasOf(ideas, criterion);
    fill(node, list.length ? list.map(function (idea) { return item(idea, list, client, changed); })
                           : el("li", { class: "muted", text: t("no_ideas") }));
  }

  function addForm(form, criterion, client, added) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input"), code = criterion(), text = input.value.trim();
      if (!code || !text) return;
      var payload = { criterion: code, kind: form.querySelector("select").value, text: text.slice(0, 280),
                      client_key: L.randomKey() };
      input.value = "";
      step(client, "add_idea", payload, added).then(function (ack) { if (!ack.ok && !input.value) input.value = text; });
    });
  }

  window.IdeaCuration = { render: render, addForm: addForm };
})();
