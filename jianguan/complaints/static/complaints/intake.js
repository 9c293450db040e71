// Complaint intake form: business look-up by name or code, and the anonymous box shown for reports only.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var query = form.querySelector("[data-entity-lookup]");
  var hidden = form.querySelector("input[name='entity_uscc']");
  var list = document.getElementById("entity-suggestions");
  var url = form.getAttribute("data-lookup-url");
  var timer = null;

  function clear() { while (list.firstChild) { list.removeChild(list.firstChild); } }

  function show(results) {
    clear();
    results.forEach(function (r) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "list-group-item list-group-item-action small";
      b.setAttribute("role", "option");
      b.textContent = r.name + "（" + r.uscc + "）" + (r.address ? " " + r.address : "");
      b.addEventListener("click", function () {
        query.value = r.name;
        hidden.value = r.uscc;
        clear();
      });
      list.appendChild(b);
    });
  }

  if (query && list && url) {
    query.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      var q = query.value.trim();
      if (q.length < 2) { clear(); return; }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { show(data.results || []); })
          .catch(clear);
      }, 250);
    });
  }

  var anonymous = form.querySelector("[data-report-only]");
  function toggle() {
    var checked = form.querySelector("input[name='kind']:checked");
    var isReport = checked && checked.value === "report";
    if (anonymous) {
      anonymous.hidden = !isReport;
      if (!isReport) { anonymous.querySelector("input").checked = false; }
    }
  }
  form.querySelectorAll("input[name='kind']").forEach(function (r) { r.addEventListener("change", toggle); });
  toggle();
})();
