// Copy buttons: each [data-copy] button copies the text of the
// [data-copy-source] element just before it. Without JavaScript the buttons
// stay hidden and the values can be selected by hand.
"use strict";
document.querySelectorAll("[data-copy]").forEach(function (btn) {
  var src = btn.previousElementSibling;
  if (!src || !src.hasAttribute("data-copy-source") || !navigator.clipboard) {
    return;
  }
  btn.hidden = false;
  btn.addEventListener("click", function () {
    navigator.clipboard.writeText(src.textContent.trim()).then(function () {
      btn.textContent = "Copied";
      btn.classList.add("copied");
      setTimeout(function () {
        btn.textContent = "Copy";
        btn.classList.remove("copied");
      }, 1500);
    });
  });
});
