"""The privacy promise, proved by walking: every page reachable from the portal home (and from a search), every
public GET operation of the OpenAPI description, and every file of the bulk dump are fetched anonymously, and
none contains a known ID number, phone, e-mail, home address, complainant, unmasked operator name or staff-only
field of the seeded entities."""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import urljoin, urlparse

from jianguan.portal import services

from .conftest import SECRETS

LINK = re.compile(r'(?:href|src|action)="([^"#]+)"')
SKIP_PREFIXES = ("/workbench", "/admin", "/account", "/static", "/api/v1/docs", "/i18n", "/captcha", "/credit/",
                 "/media")
MAX_PAGES = 400


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        try:
            return json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            return body.decode("utf-8", "replace")
    if response.streaming:
        body = b"".join(response.streaming_content)
        return (gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _leaks(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text]


def _crawl(client, starts: list[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = ""
        if response.status_code != 200:
            continue
        text = _text(response)
        seen[url] = text
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(text):
            href = urljoin(url, href.replace("&amp;", "&"))
            parsed = urlparse(href)
            if parsed.netloc and parsed.netloc != "testserver":
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if path.startswith(SKIP_PREFIXES) or path in seen:
                continue
            queue.append(path)
    return seen


def test_no_page_reachable_from_the_portal_shows_private_data(world, client):
    services.opendata_dump(actor="test", today=world["today"])
    company, shop = world["company"], world["shop"]
    pages = _crawl(client, ["/", f"/search/?q={company.name[:4]}", f"/search/?q={shop.uscc}",
                            f"/entities/{company.uscc}/", f"/entities/{shop.uscc}/", "/complaints/stats/",
                            f"/complaints/entities/?q={company.name[:4]}", "/open-data/"])
    fetched = {u for u, t in pages.items() if t}
    # the walk really reached the record pages, the inspection notices, the bundle and the dump files
    assert f"/entities/{company.uscc}/" in fetched and f"/entities/{shop.uscc}/" in fetched
    assert any(u.endswith("bundle.json") for u in fetched)
    assert any(u.endswith("entities.csv.gz") for u in fetched) and any(u.endswith(".jsonl.gz") for u in fetched)
    assert len(fetched) >= 20
    leaks = {u: _leaks(t) for u, t in pages.items() if _leaks(t)}
    assert leaks == {}
    # and the masked operator name is what is shown
    assert "王*明" in pages[f"/entities/{shop.uscc}/"]


def _public_get_operations(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if op is None or op.get("security"):
            continue
        yield path, op


def test_no_public_api_response_shows_private_data(world, client):
    company, shop, task = world["company"], world["shop"], world["task"]
    values = {"code": company.uscc, "number": str(task.batch.number)}
    plan_code = task.batch.plan.code
    checked = 0
    for path, _op in _public_get_operations(client):
        url = "/api/v1" + path
        url = url.replace("{code}", plan_code if "plans/{code}" in path else values["code"])
        url = url.replace("{number}", values["number"])
        url = re.sub(r"\{[^}]+\}", "1", url)  # other apps' ids: the first object
        for variant in (url, url + ("&" if "?" in url else "?") + f"q={company.name[:4]}",
                        url.replace(company.uscc, shop.uscc)):
            response = client.get(variant)
            assert response.status_code < 500, variant
            text = _text(response)
            assert _leaks(text) == [], (variant, _leaks(text))
            checked += 1
    assert checked >= 18  # entities, entity, lists ×2, plans, results, the inspections public batch, …
    record = client.get(f"/api/v1/entities/{shop.uscc}").json()
    assert record["registration"]["legal_rep"] == "王*明"
    assert "risk" not in json.dumps(record) and "legal_rep_id_no" not in json.dumps(record)
