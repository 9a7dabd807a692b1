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
// Attendance sheet: "all present" and a live count, for a room of 30 without the mouse.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("attendance-form");
    if (!form) { return; }
    var summary = form.querySelector("[data-att-summary]");
    function update() {
      var present = form.querySelectorAll("input[type=radio][value=present]:checked").length;
      var rows = form.querySelectorAll("tbody tr").length;
      if (summary) { summary.textContent = present + " / " + rows; }
    }
    var all = form.querySelector("[data-all-present]");
    if (all) {
      all.addEventListener("click", function () {
        form.querySelectorAll("input[type=radio][value=present]:not(:disabled)").forEach(function (r) { r.checked = true; });
        update();
      });
    }
    form.addEventListener("change", update);
    update();
  });
})();
