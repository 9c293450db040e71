"""The Content-Security-Policy allows no inline style (#14): style-src is 'self' only, and no template served to a
browser carries a ``style`` attribute or a ``<style>`` block (they would be blocked, and the page would break)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

import jianguan

ROOT = Path(jianguan.__file__).parent

#: Templates never served to a browser under the site's CSP, with the reason.
NOT_SERVED_WITH_THE_SITE_CSP = {
    # printed to PDF by WeasyPrint (enforcement.docrender.render_pdf, startup.licence.licence_pdf,
    # workplan.reports.render_pdf, portal.views.entity_report_pdf); the HTML itself is never a response
    "enforcement/templates/enforcement/documents/document.html",
    "portal/templates/portal/entity_report_pdf.html",
    "startup/templates/startup/licence_pdf.html",
    "workplan/templates/workplan/report_print.html",
    # the offline verifier: served with its own CSP that allows its one <style> by its SHA-256
    "inspections/verify.html",
}

INLINE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def _templates():
    for path in sorted(ROOT.rglob("*.html")):
        rel = path.relative_to(ROOT).as_posix()
        if "/static/" in f"/{rel}" or rel in NOT_SERVED_WITH_THE_SITE_CSP:
            continue
        yield rel, path


def test_no_served_template_has_an_inline_style():
    offenders = []
    for rel, path in _templates():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()[:120]}")
    assert not offenders, "inline styles are blocked by the CSP; use a class in jianguan.css:\n" + "\n".join(offenders)


def test_the_exempt_templates_exist_and_are_only_printed():
    for rel in NOT_SERVED_WITH_THE_SITE_CSP:
        assert (ROOT / rel).exists(), rel
    # none of the PDF templates is handed to render() / TemplateResponse by a view
    names = [rel.split("/templates/", 1)[1] for rel in NOT_SERVED_WITH_THE_SITE_CSP if "/templates/" in rel]
    for py in ROOT.rglob("views*.py"):
        text = py.read_text(encoding="utf-8")
        for name in names:
            assert f'render(request, "{name}"' not in text, (py, name)


def test_every_class_used_for_widths_exists_in_the_stylesheet():
    css = (ROOT / "static/jianguan/jianguan.css").read_text(encoding="utf-8")
    used = set()
    for _rel, path in _templates():
        used |= set(re.findall(r"\b((?:maxw|minw|wr|chart-h)-\d+|h-0\dr|w-40p|pre-wrap)\b", path.read_text()))
    assert used, "the scan found no utility class at all"
    missing = sorted(c for c in used if f".{c} " not in css and f".{c}{{" not in css)
    assert not missing, missing
    for n in (0, 37, 100):
        assert f".pct-{n}{{width:{n}%}}" in css


@pytest.mark.parametrize("value,expected", [(0, "0"), (37, "37"), (99.6, "100"), (140, "100"), (-3, "0"),
                                            (None, "0"), ("", "0")])
def test_progress_width_class_is_clamped(value, expected):
    out = Template("{% load jianguan %}pct-{{ v|pct }}").render(Context({"v": value}))
    assert out == f"pct-{expected}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/workbench/login/", "/admin/login/", "/api/v1/docs"])
def test_the_header_allows_no_inline_style_or_script(client, org, path):
    r = client.get(path)
    policy = dict(d.strip().split(" ", 1) for d in r.headers["Content-Security-Policy"].split(";") if d.strip())
    assert policy["style-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
