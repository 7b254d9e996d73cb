// Progressive enhancement only: move focus to the error summary of a form that came back with errors.
// No control submits or navigates when its value changes (WCAG 3.2.2 On Input): filter forms
// apply with their button, so a keyboard user can arrow through a select and stay where they are.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
