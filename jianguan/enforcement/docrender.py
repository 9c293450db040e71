"""Rendering of enforcement documents: the Word file (docxtpl over ``docx/<kind>.docx``), its HTML twin and the PDF
printed from the twin with WeasyPrint and the Noto CJK fonts (as the business licence is, ``startup/licence.py``).

Pure functions of a context dict (see ``documents.context_for``), no database: fast to test, and the same
context always gives the same content in both formats.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

import jinja2
from django.template.loader import render_to_string
from docxtpl import DocxTemplate

from .doclayout import Kind, kind
from .docx.build import template_path

_env = jinja2.Environment(autoescape=True, undefined=jinja2.ChainableUndefined)


def _lookup(ctx: dict, dotted: str):
    value: Any = ctx
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return []
    return value


@lru_cache(maxsize=256)
def _compiled(text: str) -> jinja2.Template:
    return _env.from_string(text)


def _text(text: str, ctx: dict) -> str:
    return str(_compiled(text).render(ctx))


def html_blocks(k: Kind, ctx: dict) -> list[dict]:
    """The layout of ``k`` with its texts rendered (HTML-escaped) for the HTML template."""
    out = []
    for block in k.layout:
        tag = block[0]
        if tag == "authority":
            out.append({"tag": tag, "text": ctx.get("authority", "")})
        elif tag == "title":
            out.append({"tag": tag, "text": k.title})
        elif tag == "number":
            out.append({"tag": tag, "text": ctx.get("number", "")})
        elif tag == "fields":
            out.append({"tag": tag, "rows": [(_text(label, ctx), _text(value, ctx)) for label, value in block[1]]})
        elif tag in ("p", "plain", "note"):
            out.append({"tag": tag, "text": _text(block[1], ctx)})
        elif tag == "lines":
            out.append({"tag": tag, "items": [str(x) for x in _lookup(ctx, block[1])]})
        elif tag == "sign":
            out.append({"tag": tag, "lines": [_text(t, ctx) for t in block[1]]})
    return out


def render_html(code: str, ctx: dict) -> str:
    k = kind(code)
    return render_to_string("enforcement/documents/document.html",
                            {"kind": k, "blocks": html_blocks(k, ctx), "number": ctx.get("number", "")})


def render_pdf(code: str, ctx: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(code, ctx)).write_pdf()


def render_docx(code: str, ctx: dict) -> bytes:
    k = kind(code)
    tpl = DocxTemplate(str(template_path(k.code)))
    tpl.render(ctx, jinja_env=jinja2.Environment(undefined=jinja2.ChainableUndefined), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
