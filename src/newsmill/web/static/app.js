// The article page's toggle between the clean text and the original page blocks.
// Without JavaScript the "?view=page" link does the same on the server.
(function () {
  "use strict";
  var toggle = document.getElementById("boilerplate-toggle");
  if (!toggle) { return; }
  var clean = document.getElementById("clean-view");
  var original = document.getElementById("original-view");
  function show(page) {
    clean.hidden = page;
    original.hidden = !page;
    toggle.setAttribute("aria-pressed", page ? "true" : "false");
    toggle.textContent = page ? "Show the clean text" : "Show the original page";
  }
  var fallback = document.getElementById("nojs-switch");
  if (fallback) { fallback.hidden = true; }  // the button does it here
  show(!original.hidden);
  toggle.addEventListener("click", function () { show(original.hidden); });
})();
