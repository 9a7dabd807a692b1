// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions (revoking roles and tokens).
  document.addEventListener("submit", function (ev) {
    var btn = ev.target.querySelector("button.danger");
    if (btn && !window.confirm(btn.textContent.trim() + "?")) {
      ev.preventDefault();
    }
  });
  // Move focus to the first invalid field after a failed submission.
  document.addEventListener("DOMContentLoaded", function () {
    var bad = document.querySelector("[aria-invalid=true]");
    if (bad) { bad.focus(); }
  });
})();
