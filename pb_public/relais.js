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

// A region that scrolls sideways or down (a list wider than the screen, a
// long audit change) gets a keyboard stop, so it scrolls with the arrow
// keys; one that fits gets none (no useless Tab stop).
(function () {
  "use strict";
  var regions = ".table-wrap, code.changes, .board > .card, form.assign .picks";
  function mark() {
    document.querySelectorAll(regions).forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      var overflow = getComputedStyle(el);
      scrolls = scrolls && (/(auto|scroll)/.test(overflow.overflowX + " " + overflow.overflowY));
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-scroll-stop", "");
      } else if (!scrolls && el.hasAttribute("data-scroll-stop")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-scroll-stop");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:after:settle", mark);
  window.addEventListener("resize", mark);
})();
