// The receipt page's buttons: copy, print, and save the code as a picture. All of it happens in the
// browser: the picture is drawn on a canvas, so the code goes to no server and into no file but the user's.
(function () {
  "use strict";
  var code = document.getElementById("receipt");
  var actions = document.getElementById("receipt-actions");
  if (!code || !actions) return;
  var text = code.textContent.trim();
  var status = document.getElementById("receipt-status");
  var SANS = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var MONO = '"DejaVu Sans Mono", Menlo, Consolas, monospace';

  function say(message) {
    status.textContent = message;
  }

  // The clipboard API needs https; a portal on an intranet's plain http copies through a selection.
  function copyBySelection() {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copied(ok) {
    say(ok ? "已复制查询码，请粘贴到安全的地方保存。" : "无法自动复制，请长按查询码选择复制。");
  }

  function copy() {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { copied(true); },
        function () { copied(copyBySelection()); }
      );
    } else {
      copied(copyBySelection());
    }
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  // Two lines of three groups, the date, where to look the petition up, and the warning to keep it secret.
  function picture() {
    var groups = text.split("-");
    var lines = [groups.slice(0, 3).join("-"), groups.slice(3).join("-")];
    var lookup = document.querySelector("a[data-lookup]");
    var width = 720, height = 420, scale = 2;
    var canvas = document.createElement("canvas");
    canvas.width = width * scale;
    canvas.height = height * scale;
    var g = canvas.getContext("2d");
    g.scale(scale, scale);
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, width, height);
    g.fillStyle = "#a4161a";
    g.fillRect(0, 0, width, 72);
    g.textBaseline = "middle";
    g.fillStyle = "#ffffff";
    g.font = "bold 28px " + SANS;
    g.fillText("码上巡察 · 查询码", 36, 36);
    g.fillStyle = "#212529";
    g.font = "bold 44px " + MONO;
    lines.forEach(function (line, i) { g.fillText(line, 36, 140 + i * 68); });
    g.font = "20px " + SANS;
    g.fillText("提交日期：" + today(), 36, 290);
    if (lookup) g.fillText("查看办理情况：" + lookup.href, 36, 324);
    g.fillStyle = "#a4161a";
    g.fillText("请妥善保管，勿告诉他人。查询码无法找回。", 36, 372);
    return canvas.toDataURL("image/png");
  }

  // A download, and the picture itself on the page: a phone saves it to its photos by a long press.
  function image() {
    var url = picture();
    var link = document.createElement("a");
    link.href = url;
    link.download = "巡察信访查询码.png";
    document.body.appendChild(link);
    link.click();
    link.remove();
    var preview = document.getElementById("receipt-image");
    if (!preview) {
      preview = document.createElement("img");
      preview.id = "receipt-image";
      preview.alt = "查询码图片";
      preview.className = "img-fluid border rounded mb-3 d-print-none";
      actions.after(preview);
    }
    preview.src = url;
    say("已生成图片。手机上可长按图片保存到相册。");
  }

  var handlers = { copy: copy, print: function () { window.print(); }, image: image };
  actions.addEventListener("click", function (event) {
    var button = event.target.closest("[data-receipt-action]");
    if (button) handlers[button.getAttribute("data-receipt-action")]();
  });
  actions.hidden = false;
})();
