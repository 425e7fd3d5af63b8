// The statistics dashboard's charts: one per figure, drawn with the vendored ECharts from the data the page
// embeds with json_script (inline scripts are refused by the Content-Security-Policy). No tooltip (its box is
// styled by a style attribute, which the policy refuses too): bars and slices carry labels, and the numbers
// are in the table beside each chart, whose links the chart's bars and slices follow too.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("analytics-charts");
  if (!source || typeof echarts === "undefined") return;
  var palette = ["#b22222", "#d4a017", "#2e7d32", "#1565c0", "#6a1b9a", "#00838f", "#8d6e63", "#546e7a"];
  JSON.parse(source.textContent).forEach(function (chart) {
    var box = document.querySelector('[data-chart="' + chart.key + '"]');
    if (!box) return;
    var labels = chart.labels;
    var option;
    if (chart.chart === "pie") {
      box.style.height = "240px";
      option = {
        color: palette,
        series: [{
          type: "pie", radius: ["35%", "65%"], avoidLabelOverlap: true,
          label: { formatter: "{b}\n{c}" },
          data: labels.map(function (name, i) {
            return { name: name, value: chart.series[0][i], link: chart.links[i] };
          })
            .filter(function (d) { return d.value > 0; })
        }]
      };
    } else if (chart.chart === "line") {
      box.style.height = "240px";
      option = {
        color: palette,
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: labels },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "line", data: chart.series[0], label: { show: true }, areaStyle: { opacity: 0.15 } }]
      };
    } else {
      var stacked = chart.chart === "stack";
      var series = (stacked ? chart.series : [chart.series[0]]).map(function (data, i) {
        return {
          type: "bar", name: chart.columns[i], data: data, stack: stacked ? "all" : undefined,
          label: { show: !stacked, position: "right" }
        };
      });
      box.style.height = Math.max(160, labels.length * (stacked ? 30 : 28) + (stacked ? 70 : 40)) + "px";
      option = {
        color: palette,
        legend: stacked ? { top: 0, type: "scroll" } : undefined,
        grid: { left: 8, right: 40, top: stacked ? 30 : 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: labels, axisLabel: { width: 140, overflow: "truncate" } },
        series: series
      };
    }
    var instance = echarts.init(box);
    option.animation = false;
    instance.setOption(option);
    // A bar, a slice or a point drills down like the number beside it in the table (when it has a link).
    instance.on("click", function (params) {
      var link = (params.data && params.data.link) || chart.links[params.dataIndex];
      if (link) window.location.assign(link);
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
});
