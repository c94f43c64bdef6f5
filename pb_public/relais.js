// Relais: a double-submit guard for the plain (non-htmx) forms marked
// data-submit-once. htmx forms use hx-disable instead; htmx has already
// cancelled their submit event when it reaches the document.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form.matches || !form.matches("form[data-submit-once]")) {
      return;
    }
    // after the browser has read the form (the submitter's name and value)
    setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  // a page restored from the back/forward cache gets its buttons back
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) {
      return;
    }
    document.querySelectorAll("form[data-submit-once] button, form[data-submit-once] input[type=submit]").forEach(function (b) {
      b.disabled = false;
    });
  });
})();
