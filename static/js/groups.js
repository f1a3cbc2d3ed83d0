// The workshop-of-groups page: polls the progress JSON every few seconds and updates each
// group's row (decided, joined, present, current item, round). Words come from data- attributes.
(function () {
  "use strict";
  var POLL_MS = 3000;
  var table = document.querySelector("table.group-progress");
  if (!table) { return; }
  function set(row, field, text) {
    var cell = row.querySelector('[data-field="' + field + '"]');
    if (cell) { cell.textContent = text; }
  }
  function roundText(round) {
    if (!round) { return table.getAttribute("data-word-none"); }
    var word = table.getAttribute("data-word-round").replace("{n}", String(round.number));
    return word + " · " + (table.getAttribute("data-state-" + round.state) || round.state);
  }
  function show(data) {
    data.groups.forEach(function (group) {
      var row = table.querySelector('tr[data-group="' + group.id + '"]');
      if (!row) { return; }
      var status = row.querySelector('[data-field="status"]');
      if (status && status.getAttribute("data-status") !== group.status) {
        status.textContent = table.getAttribute("data-status-" + group.status) || group.status;
        status.className = "status status-" + group.status;
        status.setAttribute("data-status", group.status);
      }
      set(row, "decided", String(group.decided));
      var bar = row.querySelector('[data-field="bar"]');
      if (bar) { bar.value = group.decided; }
      set(row, "joined", String(group.joined));
      set(row, "present", group.present === null ? "–" : String(group.present));
      set(row, "current", group.current || "–");
      set(row, "round", roundText(group.round));
    });
    var total = document.querySelector('[data-field="decided-total"]');
    if (total) { total.textContent = String(data.decided); }
    table.setAttribute("data-updated", String(Date.now()));
  }
  function poll() {
    fetch(table.getAttribute("data-progress-url"), {credentials: "same-origin", cache: "no-store"})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { window.setTimeout(poll, POLL_MS); });
  }
  window.setTimeout(poll, POLL_MS);
}());
