// Stacked bar chart of risk classes per unit; the data comes from a json_script element (CSP: no inline scripts).
(function () {
  "use strict";
  var el = document.getElementById("risk-chart");
  var src = document.getElementById("risk-chart-data");
  if (!el || !src || typeof echarts === "undefined") { return; }
  var data = JSON.parse(src.textContent);
  var colours = { A: "#2f9e44", B: "#1c7ed6", C: "#f59f00", D: "#e03131" };
  var names = { A: "A 低风险", B: "B 一般风险", C: "C 较高风险", D: "D 高风险" };
  var chart = echarts.init(el);
  // On a phone the four legend items wrapped onto a second line over the y axis's top label: smaller items there,
  // and the plot starts lower in case they still wrap.
  var narrow = el.clientWidth < 480;
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: narrow ? { top: 0, itemWidth: 14, itemHeight: 10, itemGap: 6, textStyle: { fontSize: 11 } } : { top: 0 },
    grid: { left: 48, right: 16, top: narrow ? 52 : 36, bottom: 64 },
    xAxis: { type: "category", data: data.units, axisLabel: { interval: 0, rotate: data.units.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", name: "户" },
    series: ["A", "B", "C", "D"].map(function (c) {
      return { name: names[c], type: "bar", stack: "total", data: data.series[c], itemStyle: { color: colours[c] } };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
