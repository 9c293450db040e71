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
  chart("chart-industries", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "70%"],
      data: data.industries.map(function (r) { return { name: r[0], value: r[1] }; }) }]
  });
  chart("chart-money", {
    tooltip: { trigger: "axis" },
    grid: { left: 60, right: 20, bottom: 30, top: 10 },
    xAxis: { type: "category", data: data.money.map(function (r) { return r[0]; }) },
    yAxis: { type: "value" },
    series: [{ type: "line", smooth: true, areaStyle: {}, data: data.money.map(function (r) { return r[1]; }) }]
  });
})();
