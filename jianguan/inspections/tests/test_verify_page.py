"""The browser verifier is served as the very file offered for download, under a Content-Security-Policy that allows
its own inline code only (by hash), its worker and fetches from this site; each published batch links to it with
its bundle."""

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from jianguan.inspections import draw

from . import factories

VERIFY_HTML = Path(draw.__file__).with_name("verify.html")


def _file_bytes() -> bytes:
    return VERIFY_HTML.read_bytes()


def test_the_page_and_the_download_are_the_same_self_contained_file(client, db):
    page = client.get("/inspections/verify/")
    assert page.status_code == 200 and page["Content-Type"] == "text/html; charset=utf-8"
    assert page.content == _file_bytes()
    download = client.get("/inspections/verify.html")
    assert download.content == _file_bytes()
    assert download["Content-Disposition"] == 'attachment; filename="verify.html"'
    text = page.content.decode()
    # Self-contained: nothing loaded from anywhere (no src= or href= to a file, no import).
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", text)
    assert "import " not in text and "importScripts" not in text
    assert "crypto.subtle" in text and "new Worker(" in text


def test_the_policy_allows_exactly_the_page_s_own_inline_script_and_style(client, db):
    text = _file_bytes().decode()
    policy = client.get("/inspections/verify/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    styles = re.findall(r"<style>(.*?)</style>", text, re.S)
    assert len(scripts) == 1 and len(styles) == 1

    def digest(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    assert directives["script-src"] == digest(scripts[0])
    assert directives["style-src"] == digest(styles[0])
    assert directives["worker-src"] == "blob:" and directives["connect-src"] == "'self'"
    assert directives["default-src"] == "'none'" and "unsafe" not in policy


def test_a_published_batch_links_to_the_browser_verifier_with_its_bundle(xh, client):
    batch = factories.batch(xh["head"], factories.plan(xh["head"]), step="published")
    page = client.get(f"/inspections/plans/{batch.plan.code}/batches/1/").content.decode()
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*data-testid="verify-in-browser"[^>]*>(.*?)</a>', page, re.S)
    assert link and "在浏览器中验证" in link.group(2)
    url = urlsplit(link.group(1).replace("&amp;", "&"))
    assert url.path == "/inspections/verify/"
    bundle_url = parse_qs(url.query)["bundle"][0]
    assert bundle_url == f"/inspections/plans/{batch.plan.code}/batches/1/bundle.json"
    assert client.get(bundle_url).content == batch.bundle.encode()
    assert 'href="/inspections/verify.html"' in page
    # The page's fingerprint, to compare with a copy from anywhere else (the source repository, another citizen).
    assert hashlib.sha256(_file_bytes()).hexdigest() in page


def test_a_batch_not_yet_drawn_offers_no_browser_verification(xh, client):
    batch = factories.batch(xh["head"], factories.plan(xh["head"]), step="committed")
    page = client.get(f"/inspections/plans/{batch.plan.code}/batches/1/").content.decode()
    assert "在浏览器中验证" not in page
