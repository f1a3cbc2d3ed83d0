// The organizer dashboard's only script: "Copy" buttons next to the session links.
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
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (button) { copyFrom(button); }
  });
}());
