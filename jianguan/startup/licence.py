"""The business licence (营业执照) as a PDF: WeasyPrint from an HTML template, with a QR code that opens the
entity's public record."""

from __future__ import annotations

import base64
import io

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from jianguan.registry.models import Entity

FALLBACK_BASE_URL = "http://127.0.0.1:8000"


def public_record_path(entity: Entity) -> str:
    return f"/entities/{entity.uscc}/"


def public_record_url(entity: Entity, request=None) -> str:
    """The absolute address of the entity's public record, for the QR code."""
    path = public_record_path(entity)
    if request is not None:
        return request.build_absolute_uri(path)
    base = getattr(settings, "JIANGUAN_PUBLIC_BASE_URL", FALLBACK_BASE_URL)
    return base.rstrip("/") + path


def qr_png(data: str) -> bytes:
    img = qrcode.make(data, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def qr_data_uri(data: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode()


def licence_html(entity: Entity, *, request=None, issued_on=None) -> str:
    url = public_record_url(entity, request)
    return render_to_string(
        "startup/licence_pdf.html",
        {
            "entity": entity,
            "qr": qr_data_uri(url),
            "qr_url": url,
            "issued_on": issued_on or timezone.localdate(),
            "capital": _capital_words(entity.registered_capital),
        },
    )


def licence_pdf(entity: Entity, *, request=None, issued_on=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=licence_html(entity, request=request, issued_on=issued_on)).write_pdf()


def _capital_words(capital) -> str:
    if capital is None:
        return ""
    value = capital.normalize()
    return f"{value:f}万元整" if value == value.to_integral_value() else f"{value:f}万元"
