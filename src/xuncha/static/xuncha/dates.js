// Dates are typed as YYYY-MM-DD, dates with a time as YYYY-MM-DD HH:MM and times of day as HH:MM, in a
// text input (core.forms.IsoDateInput, IsoDateTimeInput, IsoTimeInput). Its button opens the browser's own
// picker on a hidden date (datetime-local, time) input and writes the choice back in that format, so the field never shows the
// browser's locale (12/07/2026, 09:30 AM in an English Chromium).
(function () {
  "use strict";
  if (!("showPicker" in HTMLInputElement.prototype)) return; // the text input alone still works
  document.documentElement.classList.add("date-picker"); // shows the buttons (xuncha.css)
  function two(n) {
    return ("0" + n).slice(-2);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".iso-date [data-date-picker]");
    if (!button) return;
    var group = button.closest(".iso-date");
    var text = group.querySelector("input[type=text]");
    var proxy = group.querySelector(".iso-date-proxy");
    if (proxy.type === "time") {
      var clock = /^(\d{1,2}):(\d{2})/.exec(text.value.trim());
      proxy.value = clock ? two(clock[1]) + ":" + clock[2] : "";
      proxy.onchange = function () {
        if (!proxy.value) return;
        text.value = proxy.value.slice(0, 5);
        text.dispatchEvent(new Event("change", { bubbles: true }));
      };
      try {
        proxy.showPicker();
      } catch (e) {
        text.focus();
      }
      return;
    }
    var withTime = proxy.type === "datetime-local";
    var typed = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?/.exec(text.value.trim());
    var day = typed ? typed[1] + "-" + two(typed[2]) + "-" + two(typed[3]) : "";
    // A datetime-local input takes YYYY-MM-DDTHH:MM; a typed day alone opens the picker at 09:00.
    proxy.value = day && withTime ? day + "T" + (typed[4] ? two(typed[4]) + ":" + typed[5] : "09:00") : day;
    proxy.onchange = function () {
      if (!proxy.value) return;
      // The proxy's value is always ISO, whatever it displays; seconds, if any, are dropped.
      text.value = withTime ? proxy.value.replace("T", " ").slice(0, 16) : proxy.value;
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
