// The comment form of an article page. The page is the same for every reader (the page cache
// serves it), so it holds no CSRF token and no signed start time: they are fetched here, from
// the form's data-form-keys address, when the reader first moves into the form (which also
// starts their session). Without this script the first POST comes back with what they typed
// and the two values filled in, asking them to send it once more.
(function () {
  var form = document.querySelector("form[data-form-keys]");
  if (!form || !window.fetch) { return; }
  var token = form.querySelector("input[name=csrf_token]");
  var started = form.querySelector("input[name=started]");
  if (!token || !started) { return; }
  var pending = null;

  function filled() { return token.value !== "" && started.value !== ""; }

  function fetchKeys() {
    if (filled()) { return Promise.resolve(); }
    if (!pending) {
      pending = fetch(form.getAttribute("data-form-keys"), {
        credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (keys) {
        token.value = keys.csrf_token;
        started.value = keys.started;
      }).catch(function () {
        pending = null;  // the server will ask for a second send instead
      });
    }
    return pending;
  }

  form.addEventListener("focusin", fetchKeys);
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (filled()) { return; }
    event.preventDefault();
    if (sending) { return; }
    sending = true;
    var send = function () {
      if (sending) { sending = false; form.submit(); }
    };
    fetchKeys().then(send);
    window.setTimeout(send, 8000);  // no answer: send as it is, the server asks for a second send
  });
})();
