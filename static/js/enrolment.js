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

// The booking total: the server renders one table per number of participants and shows the one
// for the rows filled in; this shows the matching one as colleague rows are filled or emptied.
(function () {
  var box = document.querySelector("[data-quotes]");
  if (!box) { return; }
  var quotes = Array.prototype.slice.call(box.querySelectorAll("[data-quote]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-participant]"));
  function filled(row) {
    return Array.prototype.some.call(row.querySelectorAll("input"), function (input) { return input.value.trim() !== ""; });
  }
  function update() {
    var count = Math.min(1 + rows.filter(filled).length, quotes.length);
    quotes.forEach(function (quote) { quote.hidden = Number(quote.getAttribute("data-quote")) !== count; });
  }
  rows.forEach(function (row) { row.addEventListener("input", update); });
  update();
})();
