"""Every role is told apart by its name: distinct in Chinese, and each with its English name (a role without one
showed Chinese in the English workbench's header; the price monitors shared the fee inspectors' name)."""

from django.utils import translation
from django.utils.translation import gettext

from jianguan.core.roles import ROLES


def test_every_role_has_its_own_chinese_and_english_name():
    chinese = [str(r.name) for r in ROLES]
    assert len(set(chinese)) == len(chinese), sorted(n for n in chinese if chinese.count(n) > 1)
    with translation.override("en"):
        english = {r.code: gettext(r.name) for r in ROLES}  # marked with gettext_noop, translated on display
    untranslated = [code for code, name in english.items() if any("\u4e00" <= ch <= "\u9fff" for ch in name)]
    assert untranslated == []
    assert english["price_supervisor"] == "Price-monitoring officer"
    assert len(set(english.values())) == len(english)
