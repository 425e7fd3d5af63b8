// The unit portrait's charts (政治生态画像), drawn with the vendored ECharts from the data the page embeds
// with json_script (inline scripts are refused by the Content-Security-Policy). No tooltips: their boxes
// are styled by style attributes, which the policy refuses too; the series carry labels instead.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("portrait-charts");
  if (!source || typeof echarts === "undefined") return;
  var charts = JSON.parse(source.textContent);
  var red = "#b22222";
  document.querySelectorAll(".portrait-chart").forEach(function (box) {
    var chart = charts[box.dataset.chart];
    if (!chart || !chart.labels.length) { box.remove(); return; }
    box.style.height = "220px";
    var kind = box.dataset.kind;
    var option;
    if (kind === "pie") {
      option = {
        animation: false,
        series: [{ type: "pie", radius: "65%", label: { formatter: "{b}：{c}" },
          data: chart.labels.map(function (name, i) { return { name: name, value: chart.values[i] }; }) }]
      };
    } else if (kind === "line") {
      option = {
        animation: false,
        grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: chart.labels },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{ type: "line", data: chart.values, connectNulls: true, label: { show: true, formatter: "{c}%" }, itemStyle: { color: red } }]
      };
    } else {
      box.style.height = Math.max(140, chart.labels.length * 36 + 40) + "px";
      option = {
        animation: false,
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: chart.labels },
        series: [{ type: "bar", data: chart.values, label: { show: true, position: "right" }, itemStyle: { color: red } }]
      };
    }
    var instance = echarts.init(box);
    instance.setOption(option);
    window.addEventListener("resize", function () { instance.resize(); });
  });
});
