"""Every rule says where its value comes from (issue #13 item 12; docs/domain: "rules as code").

A rule's ``source`` either names a document by its full title (in 《》) and the article that fixes the value (第…条, or
the numbered clause of a technical code such as TSG 21-2016 8.1.6), or says in so many words that the value is this
platform's configurable default (本平台默认值 / 本平台设定) — and then the rule is marked unconfirmed (confidence U,
docs/domain: "[U] unconfirmed — make it a configurable default"). A rule marked confirmed (C) always cites an article.
"""

from __future__ import annotations

import re

from jianguan.core.rules import RULES

TITLE = re.compile(r"《[^》]{4,}》")
ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")
CLAUSE = re.compile(r"《[^》]+》\s*(?:第)?\d+(?:\.\d+)+")  # a technical code's numbered clause: 《…规程》8.1.6
LOCAL_DEFAULT = re.compile(r"本平台(?:默认|设定)")
CONFIDENCE = {"C", "S", "U"}


def _cites_article(source: str) -> bool:
    return bool(TITLE.search(source)) and bool(ARTICLE.search(source) or CLAUSE.search(source))


def test_every_rule_names_a_title_and_article_or_says_it_is_a_local_default():
    problems = []
    for key, rd in sorted(RULES.items()):
        source = rd.source.strip()
        if rd.confidence not in CONFIDENCE:
            problems.append(f"{key}: confidence {rd.confidence!r} is none of C/S/U")
        if not source:
            problems.append(f"{key}: no source")
        elif _cites_article(source):
            continue
        elif LOCAL_DEFAULT.search(source):
            if rd.confidence != "U":
                problems.append(f"{key}: a local default without an article must be confidence U, is {rd.confidence}")
        else:
            problems.append(f"{key}: source names no 《title》 with an article and does not say it is a local "
                            f"default: {source!r}")
    assert not problems, "\n".join(problems)


def test_a_confirmed_rule_always_cites_its_article():
    missing = [key for key, rd in sorted(RULES.items()) if rd.confidence == "C" and not _cites_article(rd.source)]
    assert not missing, missing


def test_the_sources_the_review_found_wanting():
    """The rules the #13 review named: credit repair, the 60-day reminder, the ordered period for instant
    information — each now names the article (or says that no article fixes the number)."""
    repair = RULES["credit.repair.penalty_min_months"].source
    assert "《市场监督管理信用修复管理办法》" in repair and "第六条" in repair
    assert "第六条" in RULES["credit.repair.penalty_min_months_special"].source
    assert "第六条" in RULES["credit.repair.special_sectors"].source
    no_early = RULES["credit.repair.no_early_kinds"].source
    assert "《市场监督管理行政处罚信息公示规定》" in no_early and "第十四条第三款" in no_early
    order = RULES["credit.instant.order_days"].source
    assert "《企业经营异常名录管理暂行办法》" in order and "第七条" in order
    reminder = RULES["credit.abnormal.serious_reminder_days"]
    assert "本平台默认值" in reminder.source and reminder.confidence == "U"
