// Complaint analytics charts. Data comes from the page through json_script (no inline script: CSP).
(function () {
  "use strict";
  var node = document.getElementById("complaints-chart-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }

  function bar(rows, horizontal) {
    var labels = rows.map(function (r) { return r[0]; });
    var values = rows.map(function (r) { return r[1]; });
    var cat = { type: "category", data: labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var val = { type: "value" };
    return {
      tooltip: { trigger: "axis" },
      grid: { left: horizontal ? 140 : 40, right: 20, bottom: horizontal ? 20 : 70, top: 10 },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: [{ type: "bar", data: values }]
    };
  }

  chart("chart-categories", bar(data.categories, false));
  // Money recovered by month as bars (every month of the period, zero included); the axis in 万元 from 10,000 元.
  function yuan(v) { return v >= 10000 ? (v / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + "万" : v.toLocaleString("zh-CN"); }
  chart("chart-money", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 元"; } },
    grid: { left: 60, right: 20, bottom: 40, top: 10 },
    xAxis: { type: "category", data: data.money.map(function (r) { return r[0]; }), axisLabel: { rotate: data.money.length > 8 ? 40 : 0 } },
    yAxis: { type: "value", axisLabel: { formatter: yuan } },
    series: [{ type: "bar", barMaxWidth: 28, itemStyle: { color: "#198754" }, data: data.money.map(function (r) { return r[1]; }) }]
  });
})();
