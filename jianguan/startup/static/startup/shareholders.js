// 法定代表人与股东: 添加股东 adds one more shareholder block (a copy of the formset's empty form) on demand.
(function () {
  "use strict";
  var box = document.getElementById("shareholders");
  var tpl = document.getElementById("shareholder-template");
  var add = document.getElementById("add-shareholder");
  if (!box || !tpl || !add) { return; }
  var prefix = box.getAttribute("data-prefix");
  var total = document.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
  var max = document.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");

  add.addEventListener("click", function () {
    var n = parseInt(total.value, 10);
    if (max && n >= parseInt(max.value, 10)) { return; }
    var html = tpl.innerHTML.replace(/__prefix__/g, String(n));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var block = holder.querySelector("fieldset");
    block.querySelector(".shareholder-no").textContent = String(n + 1);
    box.appendChild(block);
    total.value = String(n + 1);
    var first = block.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  });
})();
