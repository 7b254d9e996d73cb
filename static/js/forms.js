// Progressive enhancement only: move focus to the error summary of a form that came back with errors.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // Auto-submit filter forms when a select changes (the submit button remains for no-JS users).
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
})();
