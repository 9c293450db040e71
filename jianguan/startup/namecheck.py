"""Enterprise name check (企业名称自主申报): structure, forbidden and restricted words, similarity.

A name is 行政区划 + 字号 + 行业表述 + 组织形式, e.g. 平顶山市 + 鹰城 + 商贸 + 有限公司. The functions down to
``find_similar`` are pure Python; ``find_similar`` and ``check_name`` ask the database for candidates.

Similarity follows the registrars' habit: within the same jurisdiction and the same industry, a name is too close
to an existing one when the trade names (字号) are the same or differ by one character, ignoring the division prefix
and the organisational form. (Same pronunciation would need a pinyin table; it is left to the registrar.)
The database is never scanned in Python: candidates are fetched by trade-name substrings inside one division and
one industry (an indexed pair), a bounded number of them, and only those are scored.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CITY_CODE_PREFIX = "4104"

#: Organisational forms, longest first when matching, with the entity kinds each suits.
ORG_FORMS: dict[str, frozenset[str]] = {
    "股份有限公司": frozenset({"joint_stock"}),
    "有限责任公司": frozenset({"llc"}),
    "有限公司": frozenset({"llc"}),
    "分公司": frozenset({"branch"}),
    "个人独资企业": frozenset({"sole"}),
    "合伙企业（普通合伙）": frozenset({"partnership"}),
    "合伙企业（有限合伙）": frozenset({"partnership"}),
    "合伙企业": frozenset({"partnership"}),
    "农民专业合作社": frozenset({"cooperative"}),
    "专业合作社": frozenset({"cooperative"}),
    # Forms of individual businesses and unincorporated firms: recognised when parsing existing names,
    # never standard for a company.
    "经营部": frozenset({"individual", "sole"}),
    "商行": frozenset({"individual", "sole"}),
    "工作室": frozenset({"individual", "sole"}),
    "中心": frozenset({"individual", "sole"}),
    "厂": frozenset({"individual", "sole"}),
    "店": frozenset({"individual"}),
    "馆": frozenset({"individual"}),
}
STANDARD_FORMS = {
    kind: sorted(f for f, kinds in ORG_FORMS.items() if kind in kinds and len(f) >= 3)
    for kind in ("llc", "joint_stock", "branch", "sole", "partnership", "cooperative", "individual")
}

#: Common industry expressions (行业表述). Longest match wins, so 网络科技 beats 科技.
INDUSTRY_WORDS = (
    "商贸",
    "贸易",
    "商务信息咨询",
    "商务咨询",
    "企业管理咨询",
    "企业管理",
    "信息技术",
    "信息科技",
    "网络科技",
    "科技",
    "电子商务",
    "电子科技",
    "电子",
    "软件",
    "文化传媒",
    "传媒",
    "广告",
    "餐饮管理",
    "餐饮服务",
    "餐饮",
    "食品",
    "农业科技",
    "农业开发",
    "农业",
    "种植",
    "养殖",
    "建筑工程",
    "建筑劳务",
    "建设工程",
    "建材",
    "装饰工程",
    "装饰",
    "物流",
    "运输",
    "供应链管理",
    "供应链",
    "房地产开发",
    "置业",
    "物业管理",
    "物业服务",
    "机械设备",
    "机械",
    "汽车销售",
    "汽车服务",
    "医药",
    "医疗器械",
    "健康管理",
    "教育咨询",
    "教育科技",
    "文化",
    "旅游",
    "酒店管理",
    "酒店",
    "家政服务",
    "服装",
    "纺织",
    "五金",
    "家具",
    "印刷",
    "包装",
    "新能源",
    "能源",
    "环保科技",
    "环保",
    "生物科技",
    "化工",
    "钢铁",
    "煤业",
    "矿业",
    "电力",
    "通信",
    "工程技术",
    "技术服务",
    "实业",
    "投资",
    "商业管理",
    "超市",
    "百货",
    "日用品",
    "茶业",
    "酒业",
    "粮油",
    "果蔬",
    "肉制品",
    "烟酒",
    "水泥",
    "陶瓷",
    "石化",
    "安装工程",
    "水务",
    "园林绿化",
    "人力资源",
)


@dataclass(frozen=True)
class NameParts:
    division: str = ""
    trade: str = ""
    industry: str = ""
    form: str = ""

    @property
    def full(self) -> str:
        return f"{self.division}{self.trade}{self.industry}{self.form}"


@dataclass(frozen=True)
class SimilarHit:
    name: str
    reason: str

    @property
    def explanation(self) -> str:
        return f"与『{self.name}』近似：{self.reason}"


@dataclass
class NameCheckResult:
    parts: NameParts
    problems: list[str] = field(default_factory=list)  # structure and forbidden words: must be fixed
    restricted: list[str] = field(default_factory=list)  # words needing another authority's approval
    similar: list[SimilarHit] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.problems or self.restricted or self.similar)

    @property
    def messages(self) -> list[str]:
        return [*self.problems, *self.restricted, *(h.explanation for h in self.similar)]


@lru_cache(maxsize=1)
def division_prefixes() -> tuple[str, ...]:
    """Henan's divisions as they start a name: full names, short forms, and city + district, longest first."""
    path = Path(__file__).resolve().parents[1] / "core" / "data" / "divisions.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["code"].startswith("41")]
    names = {r["code"]: r["name"] for r in rows}
    out: set[str] = set()
    for row in rows:
        name = row["name"]
        out.add(name)
        short = name.rstrip("省市区县")
        if len(short) >= 2:
            out.add(short)
        parent = names.get(row["parent"] or "")
        if parent and row["level"] == "3":
            out.add(parent + name)
    return tuple(sorted(out, key=len, reverse=True))


def city_prefixes() -> frozenset[str]:
    """Prefixes naming the whole city (a city-level name must be unique across all its districts)."""
    return frozenset({"平顶山市", "平顶山"})


def parse_name(name: str, prefixes: tuple[str, ...] | None = None) -> NameParts:
    """Split a name into division, trade name, industry expression and organisational form (each may be empty)."""
    rest = (name or "").strip().replace("(", "（").replace(")", "）")
    division = next((p for p in (prefixes or division_prefixes()) if rest.startswith(p)), "")
    rest = rest[len(division) :]
    form = next((f for f in sorted(ORG_FORMS, key=len, reverse=True) if rest.endswith(f)), "")
    rest = rest[: len(rest) - len(form)] if form else rest
    industry = next(
        (w for w in sorted(INDUSTRY_WORDS, key=len, reverse=True) if rest.endswith(w) and len(rest) > len(w)), ""
    )
    trade = rest[: len(rest) - len(industry)] if industry else rest
    return NameParts(division, trade, industry, form)


def _is_hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def structure_problems(parts: NameParts, *, entity_kind: str | None = None) -> list[str]:
    problems = []
    if not parts.division:
        problems.append("缺少行政区划（如“平顶山市”“新华区”）")
    elif parts.division not in division_prefixes():
        problems.append(f"行政区划「{parts.division}」不是河南省内的行政区划名称")
    if not parts.trade:
        problems.append("缺少字号")
    else:
        if len(parts.trade) < 2:
            problems.append("字号应当由两个以上汉字组成")
        if not all(_is_hanzi(ch) for ch in parts.trade):
            problems.append("字号应当使用规范汉字，不得含有字母、数字或符号")
        if parts.trade in division_prefixes():
            problems.append("不得使用县级以上行政区划名称作字号")
    if not parts.industry:
        problems.append("缺少行业表述（如“商贸”“科技”“餐饮管理”）")
    if not parts.form:
        problems.append("缺少组织形式（如“有限公司”）")
    elif parts.form not in ORG_FORMS:
        problems.append(f"组织形式「{parts.form}」不规范")
    elif entity_kind and entity_kind not in ORG_FORMS[parts.form]:
        problems.append(
            f"组织形式「{parts.form}」与企业类型不符，应为：{'、'.join(STANDARD_FORMS.get(entity_kind, []))}"
        )
    return problems


def word_problems(name: str, rules) -> tuple[list[str], list[str]]:
    """(forbidden, restricted) explanations for the words of ``rules`` — (word, kind, reason) — found in ``name``."""
    forbidden, restricted = [], []
    for word, kind, reason in rules:
        if word and word in name:
            if kind == "forbidden":
                forbidden.append(f"含有禁用字词「{word}」：{reason}")
            else:
                restricted.append(f"含有限用字词「{word}」：{reason}")
    return forbidden, restricted


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1 :] == short:
            return True
    return False


def similarity_reason(trade: str, other: NameParts) -> str | None:
    """Why a name with ``trade`` is too close to ``other`` (same industry and jurisdiction assumed), or None."""
    if not trade or not other.trade:
        return None
    if trade == other.trade:
        return "字号相同"
    if within_one_edit(trade, other.trade):
        return "字号仅差一字"
    return None


def candidate_fragments(trade: str) -> list[str]:
    """Substrings that any name whose trade name equals ``trade`` or differs by one character must contain."""
    frags = {trade}
    for i in range(len(trade)):
        left, right = trade[:i], trade[i + 1 :]
        frags.add(left if len(left) >= len(right) else right)
    return sorted((f for f in frags if f), key=len, reverse=True)


def score_candidates(trade: str, names, *, exclude: str = "") -> list[SimilarHit]:
    hits = []
    for name in names:
        if name == exclude:
            continue
        reason = similarity_reason(trade, parse_name(name))
        if reason:
            hits.append(SimilarHit(name, reason))
    hits.sort(key=lambda h: (h.reason != "字号相同", h.name))
    return hits


# --- database side ------------------------------------------------------------------------------------------------

CANDIDATE_LIMIT = 200


def find_similar(
    *,
    parts: NameParts,
    division_code: str | None,
    industry_code: str | None,
    exclude_entity_id: int | None = None,
    limit: int = CANDIDATE_LIMIT,
) -> list[SimilarHit]:
    """Active entities whose names are too close to ``parts`` in the same jurisdiction and industry.

    Jurisdiction: the applicant's district; a name that starts with the city's name is checked across the city.
    """
    from django.db.models import Q

    from jianguan.registry.models import Entity, EntityStatus

    if not parts.trade or not industry_code:
        return []
    qs = Entity.objects.filter(status=EntityStatus.ACTIVE, industry_id=industry_code)
    if parts.division in city_prefixes() or not division_code:
        qs = qs.filter(division__code__startswith=CITY_CODE_PREFIX)
    else:
        qs = qs.filter(division_id=division_code)
    if exclude_entity_id:
        qs = qs.exclude(pk=exclude_entity_id)
    # Exact trade-name matches first (they are what matters most), then the one-character variants.
    names = list(qs.filter(name__contains=parts.trade).values_list("name", flat=True)[:limit])
    fragments = [f for f in candidate_fragments(parts.trade) if f != parts.trade]
    if fragments and len(names) < limit:
        query = Q()
        for frag in fragments:
            query |= Q(name__contains=frag)
        names += list(qs.filter(query).exclude(name__in=names).values_list("name", flat=True)[: limit - len(names)])
    return score_candidates(parts.trade, names)


def active_word_rules() -> list[tuple[str, str, str]]:
    from .models import NameRule

    return list(NameRule.objects.filter(is_active=True).values_list("word", "kind", "reason"))


def check_name(
    parts: NameParts,
    *,
    entity_kind: str | None,
    division_code: str | None,
    industry_code: str | None,
    exclude_entity_id: int | None = None,
) -> NameCheckResult:
    """The whole check an applicant sees: structure, words, and similarity to existing names."""
    result = NameCheckResult(parts=parts)
    result.problems = structure_problems(parts, entity_kind=entity_kind)
    forbidden, restricted = word_problems(parts.full, active_word_rules())
    result.problems += forbidden
    result.restricted = restricted
    result.similar = find_similar(
        parts=parts, division_code=division_code, industry_code=industry_code, exclude_entity_id=exclude_entity_id
    )
    return result
