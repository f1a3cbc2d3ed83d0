// The organizer dashboard's only script: "Copy" buttons next to the session links, and the
// "Compare" button, enabled once exactly two sessions are ticked (the server checks again).
(function () {
  "use strict";
  function copyFrom(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      window.setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      // Plain http on a LAN address is not a secure context: select the text and copy it.
      field.focus();
      field.select();
      try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected: Ctrl+C works */ }
    }
  }
  function updateCompare() {
    var picks = document.querySelectorAll("input.compare-pick");
    var button = document.querySelector('button[form="compare-form"]');
    if (!button) { return; }
    var chosen = 0;
    for (var i = 0; i < picks.length; i += 1) { if (picks[i].checked) { chosen += 1; } }
    button.disabled = chosen !== 2;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (button) { copyFrom(button); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input.compare-pick")) { updateCompare(); }
  });
  document.addEventListener("DOMContentLoaded", updateCompare);
}());
