// A button marked data-print prints the page (the print stylesheet leaves out the site's header and footer).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
