"""Money everywhere it is shown (#15): no space before the unit (100万元, not "100 万元"), capital kept in 万元 without
the column's four decimals (60万元, not 60.0000), amounts in 元 with thousands separators (12,800元 or 1.28万元; a
table cell under 「（元）」 as 12,345.60) — in templates, in the texts the services write, and in the form inputs an
applicant edits. The zh-hans formats group thousands, so ``intcomma`` and ``floatformat:"2g"`` do what they say."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

import jianguan
from jianguan.core import money

ROOT = Path(jianguan.__file__).parent


def _render(src: str, **ctx) -> str:
    return Template("{% load humanize jianguan %}" + src).render(Context(ctx))


def test_the_three_ways_of_writing_an_amount():
    assert money.yuan(Decimal("12800.00")) == "1.28万元" and money.yuan(Decimal("8000")) == "8,000元"
    assert money.yuan(Decimal("12345.67")) == "12,345.67元" and money.yuan(0) == "0元" and money.yuan(None) == ""
    assert money.wan(Decimal("60.0000")) == "60万元" and money.wan(Decimal("12.5000")) == "12.5万元"
    assert money.wan(Decimal("20000")) == "20,000万元" and money.wan(None) == ""
    assert money.figure(Decimal("12345.60")) == "12,345.60" and money.figure(Decimal("8000.00")) == "8,000"
    assert _render("{{ a|yuan_figure }}", a=Decimal("1234567.5")) == "1,234,567.50"


def test_grouping_filters_group_in_chinese():
    assert _render("{{ n|intcomma }}", n=1234567) == "1,234,567"
    assert _render('{{ d|floatformat:"2g" }}', d=Decimal("12345.6")) == "12,345.60"
    # plain output and form inputs stay ungrouped
    assert _render("{{ n }}", n=1234567) == "1234567"


def test_no_template_pastes_a_unit_after_a_raw_number():
    """A number followed by 元 or 万元 in a template is a number not through |yuan or |wan ("100 万元", "60.0000 元");
    and no amount is shown with ``.normalize`` (a Decimal's repr, 6E+1 or 60.0000 in the making)."""
    pasted = re.compile(r"\}\}\s*万?元(?![素旦])")
    normalized = re.compile(r"(capital|amount|money|fine|value|penalt|refund)\w*\.normalize\s*\}\}")
    offenders = []
    for path in sorted(ROOT.rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pasted.search(line) or (normalized.search(line) and "r.value.normalize" not in line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not offenders, "use |yuan (元), |wan (万元) or |yuan_figure (a cell under （元）):\n" + "\n".join(offenders)


@pytest.mark.django_db
def test_the_applicant_reads_capital_in_wan(client, org):
    from jianguan.startup.tests import factories

    user = factories.applicant()
    app = factories.application(user, capital="100", shares=("60", "40"))
    client.force_login(user)
    review = client.get(f"/startup/applications/{app.pk}/step/review/").content.decode()
    assert "100万元" in review and "60万元" in review and "40万元" in review and "60%" in review
    assert "100 万元" not in review and "60.0000" not in review and "60.00%" not in review
    people = client.get(f"/startup/applications/{app.pk}/step/people/").content.decode()
    basics = client.get(f"/startup/applications/{app.pk}/step/basics/").content.decode()
    assert 'value="60"' in people and 'value="40"' in people and ".0000" not in people
    assert 'value="100"' in basics and ".0000" not in basics



def test_every_template_compiles():
    """A filter used without its library loaded (``|yuan`` without ``{% load jianguan %}``) is an error only when the
    page is rendered; compiling every template finds it for pages the other tests do not render with data."""
    from django.template import TemplateSyntaxError
    from django.template.loader import get_template

    broken = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        name = path.as_posix().split("/templates/", 1)[1]
        try:
            get_template(name)
        except TemplateSyntaxError as exc:
            broken.append(f"{name}: {exc}")
    assert not broken, "\n".join(broken)
