"""Money as Chinese readers expect it (5万元至10万元), through the template filter ``yuan`` and tag ``yuan_range``."""

from decimal import Decimal

from django.template import Context, Template


def _render(src: str, **ctx) -> str:
    return Template("{% load jianguan %}" + src).render(Context(ctx))


def test_amounts_read_in_wan_when_round_and_in_yuan_otherwise():
    cases = {Decimal("50000"): "5万元", Decimal("100000.00"): "10万元", Decimal("12000"): "1.2万元",
             Decimal("8000"): "8,000元", Decimal("12345.67"): "12,345.67元", Decimal("150"): "150元",
             Decimal("0"): "0元", Decimal("30000000"): "3,000万元"}
    for amount, text in cases.items():
        assert _render("{{ a|yuan }}", a=amount) == text, amount
    assert _render("{{ a|yuan }}", a=None) == ""


def test_ranges_read_from_to():
    assert _render("{% yuan_range a b %}", a=Decimal("50000"), b=Decimal("100000")) == "5万元至10万元"
    assert _render("{% yuan_range a b %}", a=Decimal("0"), b=Decimal("10000")) == "1万元以下"
    assert _render("{% yuan_range a b %}", a=Decimal("50000"), b=None) == "5万元以上"


def test_an_address_carries_its_district_once():
    class Division:
        name = "新华区"

    d = Division()
    assert _render("{{ a|with_division:d }}", a="新华区建设路1号", d=d) == "新华区建设路1号"
    assert _render("{{ a|with_division:d }}", a="河南省平顶山市新华区建设路1号", d=d) == "河南省平顶山市新华区建设路1号"
    assert _render("{{ a|with_division:d }}", a="建设路1号", d=d) == "新华区建设路1号"
    assert _render("{{ a|with_division:d }}", a="建设路1号", d=None) == "建设路1号"
    # the public record carries the district's name as a string
    assert _render("{{ a|with_division:d }}", a="新华区建设路1号", d="新华区") == "新华区建设路1号"
    assert _render("{{ a|with_division:d }}", a="建设路1号", d="新华区") == "新华区建设路1号"


def test_capital_kept_in_wan_reads_without_trailing_zeros():
    assert _render("{{ a|wan }}", a=Decimal("100.0000")) == "100万元"
    assert _render("{{ a|wan }}", a="12.5000") == "12.5万元"
    assert _render("{{ a|wan }}", a=Decimal("20000")) == "20,000万元"
    assert _render("{{ a|wan }}", a=None) == ""
