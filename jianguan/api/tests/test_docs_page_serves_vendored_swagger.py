"""/api/v1/docs loads Swagger UI from the project's own static files (a CDN is unreachable on a bureau's network,
which left the page blank)."""

import re

from django.contrib.staticfiles import finders


def test_docs_page_uses_only_local_assets(client, db):
    body = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert any(s.endswith("vendor/swagger-ui/swagger-ui-bundle.js") for s in sources)
    assert any(s.endswith("vendor/swagger-ui/swagger-ui.css") for s in sources)
    assert all(s.startswith("/") for s in sources), f"an asset from elsewhere: {sources}"
    assert "<script>" not in body  # no inline script: the page starts Swagger UI from swagger-init.js


def test_vendored_swagger_ships_with_its_licence():
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"):
        assert finders.find(f"vendor/swagger-ui/{name}"), name
    assert finders.find("jianguan/swagger-init.js")
