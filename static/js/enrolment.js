// Progressive enhancement of the enrolment form: show the colleague rows one at a time.
// Without JavaScript all rows stay visible and empty rows are simply ignored by the server.
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-participant]"));
  if (rows.length < 2) { return; }
  function isEmpty(row) {
    return Array.prototype.every.call(row.querySelectorAll("input"), function (input) { return !input.value; });
  }
  var firstEmpty = rows.findIndex(isEmpty);
  var hidden = rows.filter(function (row, index) { return firstEmpty >= 0 && index > firstEmpty && isEmpty(row); });
  if (!hidden.length) { return; }
  hidden.forEach(function (row) { row.hidden = true; });
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button-secondary button-small";
  button.textContent = "Nog een collega toevoegen";
  rows[rows.length - 1].after(button);
  button.addEventListener("click", function () {
    var row = hidden.shift();
    row.hidden = false;
    row.querySelector("input").focus();
    if (!hidden.length) { button.remove(); }
  });
})();
