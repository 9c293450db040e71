// Complaint intake form: business look-up by name or code (choosing one fills its address and district), the
// captcha's 换一张 (a new challenge from django-simple-captcha's refresh view), and the anonymous box for reports only.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var query = form.querySelector("[data-entity-lookup]");
  var hidden = form.querySelector("input[name='entity_uscc']");
  var list = document.getElementById("entity-suggestions");
  var url = form.getAttribute("data-lookup-url");
  var timer = null;
  var address = form.querySelector("input[name='entity_address']");
  var district = form.querySelector("select[name='division']");

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
        if (address && r.address) { address.value = r.address; }
        if (district && r.division && district.querySelector("option[value='" + r.division + "']")) {
          district.value = r.division;
        }
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

  var captchaBox = form.querySelector(".captcha-field[data-refresh-url]");
  function refreshCaptcha() {
    fetch(captchaBox.getAttribute("data-refresh-url"), { headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        captchaBox.querySelector("img.captcha").src = data.image_url;
        captchaBox.querySelector("input[name='captcha_0']").value = data.key;
        var answer = captchaBox.querySelector("input[name='captcha_1']");
        answer.value = "";
        answer.focus();
      });
  }
  if (captchaBox) {
    var img = captchaBox.querySelector("img.captcha");
    if (img) { img.alt = "验证码图片（点击换一张）"; img.addEventListener("click", refreshCaptcha); }
    captchaBox.querySelector("[data-captcha-refresh]").addEventListener("click", refreshCaptcha);
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
