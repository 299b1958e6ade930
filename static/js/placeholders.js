// The placeholders beside an e-mail text become buttons ("chips") that put the
// placeholder where the cursor was in the subject or the text. Without JavaScript
// they stay a list to copy from.
(function () {
  "use strict";
  var box = document.getElementById("placeholders");
  if (!box) {
    return;
  }
  var targets = box.getAttribute("data-targets").split(" ").map(function (id) {
    return document.getElementById(id);
  });
  var last = targets[targets.length - 1];
  targets.forEach(function (field) {
    field.addEventListener("focus", function () {
      last = field;
    });
  });
  box.querySelectorAll("code.placeholder").forEach(function (code) {
    var text = code.getAttribute("data-placeholder");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip";
    button.textContent = text;
    button.setAttribute("aria-describedby", code.getAttribute("data-meaning"));
    button.addEventListener("click", function () {
      var start = last.selectionStart === null ? last.value.length : last.selectionStart;
      var end = last.selectionEnd === null ? start : last.selectionEnd;
      last.value = last.value.slice(0, start) + text + last.value.slice(end);
      last.focus();
      last.setSelectionRange(start + text.length, start + text.length);
    });
    code.replaceWith(button);
  });
  box.classList.add("placeholders-chips");
})();
