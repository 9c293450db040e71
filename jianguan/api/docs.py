"""The API's interactive documentation (Swagger UI) served from the project's vendored copy: no CDN, so /api/v1/docs
works on a closed government network. Ninja's default page loads Swagger UI from a CDN unless ``ninja`` itself is an
installed app; rendering our own template keeps the assets and their licence under ``static/vendor/swagger-ui``."""

from __future__ import annotations

import json

from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed


class VendoredSwagger(Swagger):
    template = "api/swagger.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api, "add_csrf": _csrf_needed(api)}
        return render(request, self.template, context)
