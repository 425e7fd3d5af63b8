// Dates are typed as YYYY-MM-DD in a text input (core.forms.IsoDateInput). Its calendar button opens the
// browser's own date picker on a hidden date input and writes the chosen day back in that format, so the
// field never shows the browser's locale (12/07/2026 in an English Chromium).
(function () {
  "use strict";
  if (!("showPicker" in HTMLInputElement.prototype)) return; // the text input alone still works
  document.documentElement.classList.add("date-picker"); // shows the buttons (xuncha.css)
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".iso-date [data-date-picker]");
    if (!button) return;
    var group = button.closest(".iso-date");
    var text = group.querySelector("input[type=text]");
    var proxy = group.querySelector(".iso-date-proxy");
    var typed = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.value.trim());
    proxy.value = typed ? typed[1] + "-" + ("0" + typed[2]).slice(-2) + "-" + ("0" + typed[3]).slice(-2) : "";
    proxy.onchange = function () {
      if (!proxy.value) return;
      text.value = proxy.value; // a date input's value is always YYYY-MM-DD, whatever it displays
      text.dispatchEvent(new Event("input", { bubbles: true }));
      text.dispatchEvent(new Event("change", { bubbles: true }));
    };
    try {
      proxy.showPicker();
    } catch (e) {
      text.focus();
    }
  });
})();
