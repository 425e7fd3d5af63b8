// The survey results' bar charts: one per choice question, drawn with the vendored ECharts from the data
// the page embeds with json_script (inline scripts are refused by the Content-Security-Policy). No
// tooltip: its box is styled by a style attribute, which the policy refuses too; the bars carry labels.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("survey-charts");
  if (!source || typeof echarts === "undefined") return;
  var charts = JSON.parse(source.textContent);
  charts.forEach(function (chart) {
    var box = document.querySelector('[data-chart="' + chart.id + '"]');
    if (!box) return;
    box.style.height = Math.max(160, chart.options.length * 36 + 40) + "px";
    var instance = echarts.init(box);
    instance.setOption({
      animation: false,
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: chart.options },
      series: [{ type: "bar", data: chart.counts, label: { show: true, position: "right" }, itemStyle: { color: "#b22222" } }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
});
