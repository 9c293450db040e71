"""The business licence (营业执照) as a PDF: WeasyPrint from an HTML template, with a QR code that opens the
entity's 一照通行 page (every licence it holds, then its public record), and the licences it holds printed on it."""

from __future__ import annotations

import base64
import io
import math
from html import escape

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from jianguan.registry.models import Entity, LicenceStatus

FALLBACK_BASE_URL = "http://127.0.0.1:8000"


def public_record_path(entity: Entity) -> str:
    """一照通行: the public page of every licence the entity holds (portal:entity_licences)."""
    return f"/entities/{entity.uscc}/licences/"


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


SEAL_RING = 47.0  # the ring's centre line, in a 100 × 100 box; stroke 2.4, so its inner edge is at 45.8
SEAL_TEXT_RADIUS = 36.5  # the baseline circle of the authority's name


def seal_layout(name: str) -> dict:
    """Where each character of the registration authority's name sits on the seal: along the top arc, upright
    towards the centre, at a size that keeps them inside the ring (a long name gets a wider arc and smaller
    characters); "登记专用" on one line under the star. Pure geometry in a 100 × 100 box, so it can be tested."""
    chars = list(name) or ["　"]
    n = len(chars)
    span = min(250.0, 24.0 * (n - 1)) if n > 1 else 0.0
    step = math.radians(span / (n - 1)) if n > 1 else 0.0
    size = min(10.5, 0.92 * SEAL_TEXT_RADIUS * step) if n > 1 else 10.5
    placed = []
    for i, ch in enumerate(chars):
        angle = -span / 2 + (span / (n - 1) * i if n > 1 else 0.0)  # degrees clockwise from 12 o'clock
        rad = math.radians(angle)
        placed.append({"ch": ch, "angle": round(angle, 2), "x": round(50 + SEAL_TEXT_RADIUS * math.sin(rad), 2),
                       "y": round(50 - SEAL_TEXT_RADIUS * math.cos(rad), 2)})
    return {"chars": placed, "size": round(size, 2), "ring": SEAL_RING, "caption": "登记专用", "caption_size": 8.0,
            "caption_y": 74.0}


def seal_svg(name: str) -> str:
    layout = seal_layout(name)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="34mm" height="34mm">',
             f'<circle cx="50" cy="50" r="{layout["ring"]}" fill="none" stroke="#b22222" stroke-width="2.4"/>',
             '<polygon fill="#b22222" points="50,38 53.5,47.2 63.3,47.3 55.5,53.2 58.3,62.6 50,57 41.7,62.6 44.5,53.2 '
             '36.7,47.3 46.5,47.2"/>']
    for c in layout["chars"]:
        # each character stands on the circle, its top towards the rim: rotate about its own position
        parts.append(f'<text x="{c["x"]}" y="{c["y"]}" font-size="{layout["size"]}" fill="#b22222" '
                     f'text-anchor="middle" dominant-baseline="central" font-family="Noto Serif CJK SC, Noto Sans CJK SC,'
                     f' serif" transform="rotate({c["angle"]} {c["x"]} {c["y"]})">{escape(c["ch"])}</text>')
    parts.append(f'<text x="50" y="{layout["caption_y"]}" font-size="{layout["caption_size"]}" fill="#b22222" '
                 'text-anchor="middle" dominant-baseline="central" font-family="Noto Sans CJK SC, sans-serif">'
                 f'{layout["caption"]}</text></svg>')
    return "".join(parts)


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
            "licences": list(entity.licences.filter(status=LicenceStatus.VALID).select_related("kind")
                             .order_by("kind__sort", "issued_on", "id")),
            "seal": mark_safe(seal_svg(entity.registration_authority.name if entity.registration_authority else "")),
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
