// The leader's dashboard. Data comes from the page through json_script (no inline script: CSP). Every point carries
// the URL of the list behind it; a click opens that list.
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = echarts.init(el, null, { locale: "ZH" });
    c.setOption(option);
    c.on("click", function (p) {
      var url = (p.data && p.data.url) || (p.seriesIndex !== undefined && option.series[p.seriesIndex].url);
      if (url) { window.location.href = url; }
    });
    el.style.cursor = "pointer";
    window.addEventListener("resize", function () { c.resize(); });
  }

  function points(rows) { return rows.map(function (r) { return { value: r.value, name: r.label, url: r.url }; }); }
  function labels(rows) { return rows.map(function (r) { return r.label; }); }

  var e = data.entities;
  if (e) {
    chart("chart-units", {
      tooltip: { trigger: "axis" }, grid: { left: 50, right: 10, top: 10, bottom: 60 },
      xAxis: { type: "category", data: labels(e.by_unit), axisLabel: { interval: 0, rotate: 40 } },
      yAxis: { type: "value" }, series: [{ type: "bar", data: points(e.by_unit) }]
    });
    chart("chart-kinds", {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], label: { fontSize: 10 }, data: points(e.by_kind) }]
    });
    chart("chart-new", {
      tooltip: { trigger: "axis" }, grid: { left: 50, right: 10, top: 10, bottom: 24 },
      xAxis: { type: "category", data: labels(e.new_by_month) }, yAxis: { type: "value" },
      series: [{ type: "line", smooth: true, areaStyle: {}, data: points(e.new_by_month) }]
    });
  }
  var k = data.cases;
  if (k) {
    chart("chart-cases", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 10, top: 30, bottom: 70 },
      xAxis: { type: "category", data: k.types.map(function (t) { return t.label; }), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value" },
      series: k.series.map(function (s, i) {
        return { name: s.name, type: "bar", stack: "c", url: s.url,
          color: ["#0d6efd", "#dc3545", "#198754"][i],
          data: s.values.map(function (v, j) {
            var t = k.types[j];
            return { value: v, url: s.url + (s.url.indexOf("?") < 0 ? "?" : "&") + "case_type=" + encodeURIComponent(t.code) };
          }) };
      })
    });
  }
  var c = data.complaints;
  if (c) {
    chart("chart-complaints", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 10, top: 30, bottom: 24 },
      xAxis: { type: "category", data: c.months }, yAxis: { type: "value" },
      series: c.series.map(function (s) { return { name: s.name, type: "bar", stack: "k", data: s.values }; })
    });
  }
  var i = data.inspections;
  if (i) {
    chart("chart-inspections", {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: points(i.by_status) }]
    });
  }
  var r = data.risk;
  if (r) {
    chart("chart-risk", {
      tooltip: { trigger: "axis" }, grid: { left: 60, right: 10, top: 10, bottom: 30 },
      xAxis: { type: "category", data: labels(r.classes) }, yAxis: { type: "value" },
      series: [{ type: "bar", data: points(r.classes), itemStyle: { color: "#6f42c1" } }]
    });
  }
})();
