// Starts the vendored Swagger UI on /api/v1/docs from the settings the page carries (no inline script, so the
// page works under a strict Content-Security-Policy). A session's CSRF token, when the page has one, is sent
// with the requests tried from the page.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var token = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  if (token) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = token;
      return request;
    };
  }
  window.ui = SwaggerUIBundle(config);
})();
