// A printed QR code carries the survey token in the fragment (/survey/#ABCD-2345): browsers never send
// it to the server, so no access log keeps it. Copy it into the token field and drop it from the address.
(function () {
  "use strict";
  var token = decodeURIComponent(window.location.hash.replace(/^#/, "")).trim();
  if (!token) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  var input = document.querySelector("input[name=token]");
  if (input && /^[A-Za-z0-9-]{8,20}$/.test(token)) input.value = token;
})();
