"""The 广告法 articles that advertising monitoring checks, per ad category (pure data, no Django).

Each category with its own rules lists the articles an ad of that category can break; an ad is recorded only in a
category listed here, and a violation only under an article that applies to its category (``articles_for``).
Sources: 《中华人民共和国广告法》(2015 年修订，2018、2021 年修正) 第九、十五至十八、二十四、二十五、二十八、四十六条,
penalties 第五十五、五十七、五十八条; prior review: 第四十六条 and 《药品、医疗器械、保健食品、特殊医学用途配方食品
广告审查管理暂行办法》(市场监管总局令第 21 号); medical ads: 《医疗广告管理办法》 (医疗广告审查证明).
"""

from __future__ import annotations

from dataclasses import dataclass

LAW = "《中华人民共和国广告法》"


@dataclass(frozen=True)
class Article:
    code: str  # the article number as digits: "16"
    title: str  # 第十六条
    summary: str  # what the article forbids, in our words
    penalty: str  # the article that punishes it

    @property
    def label(self) -> str:
        return f"{self.title} {self.summary}"

    @property
    def source(self) -> str:
        return f"{LAW}{self.title}（罚则 {self.penalty}）"


ARTICLES = {a.code: a for a in (
    Article("9", "第九条", "使用“国家级”“最高级”“最佳”等用语或其他禁止情形", "第五十七条"),
    Article("15", "第十五条", "特殊药品、戒毒治疗不得作广告；处方药只能在指定专业刊物发布", "第五十七条"),
    Article("16", "第十六条", "医疗、药品、医疗器械广告含功效安全性断言保证、治愈率有效率、比较或代言人证明", "第五十八条"),
    Article("17", "第十七条", "医疗、药品、医疗器械以外的广告涉及疾病治疗功能或使用医疗用语", "第五十八条"),
    Article("18", "第十八条", "保健食品广告含功效断言、疾病预防治疗功能、与药品比较或代言人证明，或未标明“本品不能代替药物”",
            "第五十八条"),
    Article("24", "第二十四条", "教育、培训广告对升学、考试通过、取得证书或培训效果作保证性承诺，或暗示命题人员参与",
            "第五十八条"),
    Article("25", "第二十五条", "有投资回报预期的商品或服务广告对收益作保证性承诺、明示或暗示保本、无风险、保收益",
            "第五十八条"),
    Article("28", "第二十八条", "虚假广告：以虚假或引人误解的内容欺骗、误导消费者", "第五十五条"),
    Article("46", "第四十六条", "应当审查的广告未经审查发布（无有效广告审查批准文号）", "第五十八条"),
)}


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    articles: tuple[str, ...]  # the articles an ad of this category can break
    review: bool = False  # needs prior review (广告法 第四十六条): an approval number must be shown
    approval_tokens: tuple[str, ...] = ()  # what the approval number of this category contains
    review_source: str = ""


_GENERAL = ("9", "28")
CATEGORIES = {c.code: c for c in (
    Category("medical", "医疗", ("16", *_GENERAL, "46"), review=True, approval_tokens=("医广",),
             review_source="《医疗广告管理办法》第三条、第八条（医疗广告审查证明）"),
    Category("drugs", "药品", ("15", "16", *_GENERAL, "46"), review=True, approval_tokens=("药广审",),
             review_source="市场监管总局令第 21 号 第二条、第二十二条"),
    Category("medical_devices", "医疗器械", ("16", *_GENERAL, "46"), review=True, approval_tokens=("械广审",),
             review_source="市场监管总局令第 21 号 第二条、第二十二条"),
    Category("health_food", "保健食品", ("17", "18", *_GENERAL, "46"), review=True, approval_tokens=("食健广审",),
             review_source="市场监管总局令第 21 号 第二条、第二十二条"),
    Category("special_medical_food", "特殊医学用途配方食品", ("17", *_GENERAL, "46"), review=True,
             approval_tokens=("特医食广审", "特医广审"), review_source="市场监管总局令第 21 号 第二条、第二十二条"),
    Category("education", "教育培训", ("17", "24", *_GENERAL)),
    Category("finance", "金融投资", ("17", "25", *_GENERAL)),
)}
CATEGORY_CHOICES = tuple((c.code, c.label) for c in CATEGORIES.values())
ARTICLE_CHOICES = tuple((a.code, a.label) for a in ARTICLES.values())
REVIEW_CATEGORIES = tuple(c.code for c in CATEGORIES.values() if c.review)


class NoRule(ValueError):
    """The category has no rules here: an ad of it cannot be judged, so it is not recorded."""


def category(code: str) -> Category:
    found = CATEGORIES.get(code)
    if found is None or not found.articles:
        raise NoRule(f"广告类别“{code}”没有对应的{LAW}条款规则，不能登记；可登记的类别："
                     + "、".join(c.label for c in CATEGORIES.values()))
    return found


def articles_for(code: str) -> list[Article]:
    return [ARTICLES[a] for a in category(code).articles]


def approval_number_fits(code: str, number: str) -> bool:
    """Does ``number`` look like an approval number of category ``code`` (its kind's token, 第…号)?"""
    cat = category(code)
    number = number.strip()
    return any(t in number for t in cat.approval_tokens) and number.endswith("号") and "第" in number
