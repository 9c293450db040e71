"""The layout of every numbered enforcement document (执法文书), written once and used twice.

``docx/build.py`` turns each layout into the committed Word template ``docx/<code>.docx`` (docxtpl/Jinja tags
inside), and ``documents.render_html`` turns the same layout into the HTML twin the PDF is printed from, so the
.docx and the PDF always say the same thing. To change a document: edit its layout here, run
``.venv/bin/python -m jianguan.enforcement.docx.build`` and commit the regenerated .docx with this file
(``test_documents_templates`` fails when they drift apart).

A layout is a tuple of blocks:

- ``("authority",)`` the issuing authority's full name, centred;
- ``("title",)`` the document's name, centred, large;
- ``("number",)`` the document number line (``平市监罚〔2026〕12号``);
- ``("fields", ((label, text), ...))`` a bordered two-column table (party block, form rows);
- ``("p", text)`` a body paragraph, first line indented two characters;
- ``("plain", text)`` a paragraph without indent (the addressee line);
- ``("lines", name)`` one indented paragraph per item of the list ``name`` in the context (facts, Q&A, items);
- ``("sign", (text, ...))`` the signature and seal place, right-aligned, ending with the date;
- ``("note", text)`` a small print line at the foot.

``text`` is a Jinja expression template over the context built by ``documents.context_for`` (only ``{{ }}``
substitutions: every value is formatted in Python, so the Word template stays editable by people who do not
program).
"""

from __future__ import annotations

from dataclasses import dataclass

PARTY_FIELDS = (
    ("当事人", "{{ party.name }}"),
    ("{{ party.code_label }}", "{{ party.code }}"),
    ("住所（住址）", "{{ party.address }}"),
    ("{{ party.rep_label }}", "{{ party.rep }}"),
    ("联系电话", "{{ party.phone }}"),
)

RIGHTS = ("如不服本决定，可以在收到本决定书之日起六十日内依法向{{ review_organ }}申请行政复议，"
          "也可以在六个月内依法向{{ court }}提起行政诉讼。")


@dataclass(frozen=True)
class Field:
    """An input the officer fills in when issuing (what the case data cannot know: who was questioned, what was
    said). ``lines`` fields are split into one paragraph per line."""

    name: str
    label: str
    lines: bool = False
    required: bool = False


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    word: str  # the kind word of the number: 平市监{word}〔2026〕12号
    layout: tuple
    fields: tuple[Field, ...] = ()
    repeatable: bool = False  # several per case (e.g. one 询问笔录 per person questioned), told apart by ``key``
    key_field: str = ""


KINDS: dict[str, Kind] = {}


def _kind(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


_kind(Kind(
    "filing_approval", "立案审批表", "立",
    (
        ("authority",), ("title",), ("number",),
        ("fields", (
            ("案件来源", "{{ case.source }}"),
            ("案由", "{{ case.cause }}"),
            *PARTY_FIELDS,
            ("线索发现日期", "{{ case.discovered_on }}"),
            ("承办人员", "{{ case.officers }}"),
        )),
        ("plain", "简要案情及立案依据："),
        ("lines", "case.facts"),
        ("fields", (
            ("承办人意见", "{{ opinion_officer }}　　签名：　　　　　日期：{{ issued_on }}"),
            ("承办机构负责人意见", "{{ opinion_head }}　　签名：　　　　　日期："),
            ("机关负责人审批意见", "{{ opinion_leader }}　　签名：　　　　　日期："),
        )),
        ("note", "本表由承办机构填写，经批准立案的，立案日期以机关负责人批准日期为准。"),
    ),
    fields=(Field("opinion_officer", "承办人意见"), Field("opinion_head", "承办机构负责人意见"),
            Field("opinion_leader", "机关负责人审批意见")),
))

_kind(Kind(
    "site_inspection", "现场检查笔录", "检",
    (
        ("authority",), ("title",), ("number",),
        ("fields", (
            ("检查时间", "{{ held_at }}"),
            ("检查地点", "{{ place }}"),
            ("被检查人", "{{ party.name }}"),
            ("{{ party.code_label }}", "{{ party.code }}"),
            ("{{ party.rep_label }}", "{{ party.rep }}"),
            ("现场负责人", "{{ present_person }}"),
            ("检查人员及执法证号", "{{ case.officers }}"),
            ("记录人", "{{ recorder }}"),
        )),
        ("p", "我们是{{ authority }}的执法人员，已向你出示执法证件。依照法律规定，你有申请执法人员回避的权利，"
              "有如实回答询问、协助调查的义务。"),
        ("plain", "现场检查情况："),
        ("lines", "record"),
        ("p", "以上笔录已交被检查人核对（已向其宣读），确认无误。"),
        ("sign", ("被检查人（签名或盖章）：　　　　　　", "检查人员（签名）：　　　　　　", "{{ issued_on }}")),
    ),
    fields=(Field("held_at", "检查时间", required=True), Field("place", "检查地点", required=True),
            Field("present_person", "现场负责人"), Field("recorder", "记录人"),
            Field("record", "现场检查情况", lines=True, required=True)),
    repeatable=True, key_field="held_at",
))

_kind(Kind(
    "inquiry", "询问笔录", "询",
    (
        ("authority",), ("title",), ("number",),
        ("fields", (
            ("询问时间", "{{ held_at }}"),
            ("询问地点", "{{ place }}"),
            ("被询问人", "{{ interviewee }}"),
            ("身份证件号码", "{{ interviewee_id_no }}"),
            ("工作单位及职务", "{{ interviewee_role }}"),
            ("联系电话", "{{ interviewee_phone }}"),
            ("询问人及执法证号", "{{ case.officers }}"),
            ("记录人", "{{ recorder }}"),
        )),
        ("p", "我们是{{ authority }}的执法人员，现就{{ party.name }}涉嫌{{ case.cause }}一案向你进行调查询问。"
              "你有申请执法人员回避的权利，有如实回答询问的义务，作虚假陈述须承担法律责任。"),
        ("lines", "qa"),
        ("p", "以上笔录我看过（已向我宣读），与我说的一致。"),
        ("sign", ("被询问人（签名）：　　　　　　", "询问人（签名）：　　　　　　", "{{ issued_on }}")),
    ),
    fields=(Field("held_at", "询问时间", required=True), Field("place", "询问地点", required=True),
            Field("interviewee", "被询问人", required=True), Field("interviewee_id_no", "身份证件号码"),
            Field("interviewee_role", "工作单位及职务"), Field("interviewee_phone", "联系电话"),
            Field("recorder", "记录人"), Field("qa", "问答内容（每行一问或一答）", lines=True, required=True)),
    repeatable=True, key_field="interviewee",
))

_kind(Kind(
    "seizure_decision", "查封扣押决定书", "扣",
    (
        ("authority",), ("title",), ("number",),
        ("plain", "当事人：{{ party.name }}"),
        ("plain", "{{ party.code_label }}：{{ party.code }}"),
        ("plain", "住所（住址）：{{ party.address }}"),
        ("plain", "{{ party.rep_label }}：{{ party.rep }}"),
        ("p", "经查，你（单位）涉嫌{{ case.cause }}。依据{{ basis }}的规定，本局决定对你（单位）的下列"
              "{{ objects_word }}实施{{ measure }}，期限为{{ term_days }}日（{{ term_from }}至{{ term_to }}），"
              "情况复杂的，经本局负责人批准可以延长，但延长期限不超过三十日："),
        ("lines", "items"),
        ("p", "在{{ measure }}期间，你（单位）不得擅自使用、转移、损毁、隐匿被{{ measure }}的物品。"
              "本局将在期限内作出处理决定。"),
        ("p", RIGHTS),
        ("p", "附件：场所、设施或者财物清单"),
        ("sign", ("{{ authority }}", "（印章）", "{{ issued_on }}")),
    ),
    # measure and items default to the case's latest recorded seizure (``Seizure``)
    fields=(Field("measure", "强制措施（查封/扣押）"), Field("basis", "法律依据"),
            Field("items", "场所、设施或者财物（每行一项）", lines=True)),
    repeatable=True, key_field="items",
))

_kind(Kind(
    "investigation_report", "案件调查终结报告", "终",
    (
        ("authority",), ("title",), ("number",),
        ("fields", (
            ("案由", "{{ case.cause }}"),
            ("案件编号", "{{ case.number }}"),
            ("立案日期", "{{ case.filed_on }}"),
            *PARTY_FIELDS[:4],
            ("承办人员", "{{ case.officers }}"),
        )),
        ("plain", "一、调查认定的事实"),
        ("lines", "case.facts"),
        ("p", "上述事实，有{{ case.evidence }}等证据证明。"),
        ("plain", "二、调查结论及处理意见"),
        ("lines", "case.report"),
        ("p", "建议对当事人作出如下处理：{{ case.outcome }}"),
        ("lines", "penalty.lines"),
        ("sign", ("承办人（签名）：　　　　　　", "{{ issued_on }}")),
    ),
))

_kind(Kind(
    "hearing_notice", "行政处罚听证通知书", "听",
    (
        ("authority",), ("title",), ("number",),
        ("plain", "{{ party.name }}："),
        ("p", "根据你（单位）的申请，本局决定于{{ hearing_at }}在{{ hearing_place }}就{{ case.cause }}一案"
              "举行听证，由{{ hearing_host }}担任听证主持人。请准时参加。"),
        ("p", "你（单位）可以亲自参加听证，也可以委托一至二人代理；委托代理人参加的，应当在听证前提交授权委托书。"
              "你（单位）认为听证主持人、听证员或者记录员与本案有直接利害关系的，有权申请回避。"
              "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。"),
        ("p", "联系人：{{ contact }}　　联系电话：{{ contact_phone }}"),
        ("sign", ("{{ authority }}", "（印章）", "{{ issued_on }}")),
    ),
    fields=(Field("hearing_at", "听证时间"), Field("hearing_place", "听证地点"), Field("hearing_host", "听证主持人"),
            Field("contact", "联系人"), Field("contact_phone", "联系电话")),
))

_kind(Kind(
    "prior_notice", "行政处罚事先告知书", "告",
    (
        ("authority",), ("title",), ("number",),
        ("plain", "{{ party.name }}："),
        ("p", "本局于{{ case.filed_on }}对你（单位）涉嫌{{ case.cause }}一案立案调查。经查，你（单位）存在以下违法事实："),
        ("lines", "case.facts"),
        ("p", "以上事实有{{ case.evidence }}等证据证明。"),
        ("p", "你（单位）的上述行为违反了{{ case.violated }}的规定。依据{{ case.basis }}的规定，本局拟对你（单位）"
              "作出如下行政处罚："),
        ("lines", "penalty.lines"),
        ("p", "根据《中华人民共和国行政处罚法》第四十四条、第四十五条{{ hearing_articles }}的规定，你（单位）"
              "享有陈述、申辩的权利{{ hearing_right }}。你（单位）可自收到本告知书之日起五个工作日内向本局提出"
              "陈述、申辩{{ hearing_request }}，逾期未提出的，视为放弃上述权利。"),
        ("p", "联系人：{{ contact }}　　联系电话：{{ contact_phone }}　　地址：{{ authority_address }}"),
        ("sign", ("{{ authority }}", "（印章）", "{{ issued_on }}")),
    ),
    fields=(Field("contact", "联系人"), Field("contact_phone", "联系电话"),
            Field("authority_address", "本局地址")),
))

_kind(Kind(
    "penalty_decision", "行政处罚决定书", "罚",
    (
        ("authority",), ("title",), ("number",),
        ("fields", PARTY_FIELDS),
        ("p", "{{ case.history }}"),
        ("p", "经查明："),
        ("lines", "case.facts"),
        ("p", "上述事实，有{{ case.evidence }}等证据证明。"),
        ("p", "本局认为，当事人的上述行为违反了{{ case.violated }}的规定，构成{{ case.cause }}。"
              "{{ penalty.reasoning }}"),
        ("p", "依据{{ case.basis }}的规定，本局决定：对当事人作出如下行政处罚："),
        ("lines", "penalty.lines"),
        ("p", "{{ penalty.payment }}"),
        ("p", RIGHTS),
        ("sign", ("{{ authority }}", "（印章）", "{{ issued_on }}")),
        ("note", "（本文书一式三份，一份送达当事人，一份归档，一份交执行机构。）"),
    ),
))

_kind(Kind(
    "service_receipt", "送达回证", "送",
    (
        ("authority",), ("title",), ("number",),
        ("fields", (
            ("送达文书名称及文号", "{{ served_document }}"),
            ("受送达人", "{{ party.name }}"),
            ("送达地点", "{{ place }}"),
            ("送达方式", "{{ method }}"),
            ("收件人（签名或盖章）", "{{ recipient }}"),
            ("送达时间", "{{ served_at }}"),
            ("送达人（签名）", "{{ case.officers }}"),
            ("见证人（签名）", "{{ witness }}"),
            ("备注", "{{ remark }}"),
        )),
        ("sign", ("{{ authority }}", "（印章）", "{{ issued_on }}")),
    ),
    fields=(Field("served_document", "送达文书名称及文号", required=True), Field("place", "送达地点"),
            Field("method", "送达方式（直接/留置/邮寄/电子/公告；已登记送达的自动填写）"), Field("recipient", "收件人"),
            Field("served_at", "送达时间"), Field("witness", "见证人"), Field("remark", "备注")),
    repeatable=True, key_field="served_document",
))

_kind(Kind(
    "closing_approval", "结案审批表", "结",
    (
        ("authority",), ("title",), ("number",),
        ("fields", (
            ("案由", "{{ case.cause }}"),
            ("案件编号", "{{ case.number }}"),
            ("立案日期", "{{ case.filed_on }}"),
            *PARTY_FIELDS[:4],
            ("处罚决定书文号", "{{ penalty.decision_no }}"),
            ("处罚内容", "{{ penalty.summary }}"),
            ("执行情况", "{{ execution }}"),
            ("承办人员", "{{ case.officers }}"),
            ("承办人意见", "{{ opinion_officer }}　　签名：　　　　　日期：{{ issued_on }}"),
            ("承办机构负责人意见", "{{ opinion_head }}　　签名：　　　　　日期："),
            ("机关负责人审批意见", "{{ opinion_leader }}　　签名：　　　　　日期："),
        )),
    ),
    fields=(Field("execution", "执行情况", required=True), Field("opinion_officer", "承办人意见"),
            Field("opinion_head", "承办机构负责人意见"), Field("opinion_leader", "机关负责人审批意见")),
))

# --- the documents the statutory clocks need (#13) ----------------------------------------------------------------

APPROVALS = (
    ("承办人意见", "{{ opinion_officer }}　　签名：　　　　　日期：{{ issued_on }}"),
    ("承办机构负责人意见", "{{ opinion_head }}　　签名：　　　　　日期："),
    ("机关负责人审批意见", "{{ opinion_leader }}　　签名：　　　　　日期："),
)
APPROVAL_FIELDS = (Field("opinion_officer", "承办人意见"), Field("opinion_head", "承办机构负责人意见"),
                   Field("opinion_leader", "机关负责人审批意见"))

_kind(Kind(
    "extension_approval", "延长办案期限审批表", "延",
    (
        ("authority",), ("title",), ("number",),
        ("fields", (
            ("案由", "{{ case.cause }}"),
            ("案件编号", "{{ case.number }}"),
            *PARTY_FIELDS[:2],
            ("立案日期", "{{ case.filed_on }}"),
            ("原办案期限届满日", "{{ original_due }}"),
            ("申请延长", "{{ extension_days }}日（至{{ extended_due }}）"),
            ("不计入办案期限的时间", "{{ excluded }}"),
            ("承办人员", "{{ case.officers }}"),
        )),
        ("plain", "延长理由："),
        ("lines", "reason"),
        ("fields", APPROVALS),
        ("note", "依据《市场监督管理行政处罚程序规定》第六十四条：经市场监督管理部门负责人批准，可以延长三十日；"
                 "经延期仍不能作出处理决定的，由负责人集体讨论决定是否继续延期。"),
    ),
    fields=(Field("reason", "延长理由", lines=True), *APPROVAL_FIELDS),
))

_kind(Kind(
    "suspension_approval", "案件中止调查审批表", "止",
    (
        ("authority",), ("title",), ("number",),
        ("fields", (
            ("案由", "{{ case.cause }}"),
            ("案件编号", "{{ case.number }}"),
            *PARTY_FIELDS[:2],
            ("立案日期", "{{ case.filed_on }}"),
            ("中止日期", "{{ suspended_on }}"),
            ("承办人员", "{{ case.officers }}"),
        )),
        ("plain", "中止调查的理由及依据："),
        ("lines", "reason"),
        ("fields", APPROVALS),
        ("note", "中止期间不计入办案期限（《市场监督管理行政处罚程序规定》第六十四条第二款）；中止原因消除后，"
                 "应当及时恢复案件调查。"),
    ),
    fields=(Field("reason", "中止理由及依据", lines=True), Field("suspended_on", "中止日期"), *APPROVAL_FIELDS),
    repeatable=True, key_field="suspended_on",
))

_kind(Kind(
    "resumption_approval", "恢复案件调查审批表", "复",
    (
        ("authority",), ("title",), ("number",),
        ("fields", (
            ("案由", "{{ case.cause }}"),
            ("案件编号", "{{ case.number }}"),
            *PARTY_FIELDS[:2],
            ("中止日期", "{{ suspended_on }}"),
            ("恢复日期", "{{ resumed_on }}"),
            ("中止期间（不计入办案期限）", "{{ suspended_days }}"),
            ("承办人员", "{{ case.officers }}"),
        )),
        ("plain", "中止原因消除的情况："),
        ("lines", "reason"),
        ("fields", APPROVALS),
    ),
    fields=(Field("reason", "中止原因消除的情况", lines=True), Field("suspended_on", "中止日期"),
            Field("resumed_on", "恢复日期"), *APPROVAL_FIELDS),
    repeatable=True, key_field="resumed_on",
))

_kind(Kind(
    "testing_period_notice", "检测（检验、检疫、技术鉴定）期间告知书", "期",
    (
        ("authority",), ("title",), ("number",),
        ("plain", "{{ party.name }}："),
        ("p", "本局于{{ seizure_on }}对你（单位）的下列物品实施了{{ measure }}：{{ items }}。因需对上述物品进行"
              "{{ test_kind }}，依据《中华人民共和国行政强制法》第二十五条第三款的规定，现将{{ test_kind }}期间告知如下："),
        ("p", "{{ test_kind }}期间自{{ test_from }}起至{{ test_to }}止。该期间不计入{{ measure }}期限。"),
        ("p", "承担{{ test_kind }}的机构：{{ lab }}。"),
        ("p", "联系人：{{ contact }}　　联系电话：{{ contact_phone }}"),
        ("sign", ("{{ authority }}", "（印章）", "{{ issued_on }}")),
    ),
    fields=(Field("test_kind", "检测、检验、检疫或者技术鉴定"), Field("test_from", "期间开始"),
            Field("test_to", "期间结束（预计）", required=True), Field("lab", "承担机构", required=True),
            Field("contact", "联系人"), Field("contact_phone", "联系电话")),
    repeatable=True, key_field="test_from",
))

_kind(Kind(
    "preservation_notice", "先行登记保存证据通知书", "保",
    (
        ("authority",), ("title",), ("number",),
        ("plain", "{{ party.name }}："),
        ("p", "本局在调查你（单位）涉嫌{{ case.cause }}一案中，因证据可能灭失或者以后难以取得，经本局负责人批准，"
              "依据《中华人民共和国行政处罚法》第五十六条的规定，对下列物品先行登记保存，保存地点：{{ place }}："),
        ("lines", "items"),
        ("p", "在先行登记保存期间，你（单位）不得损毁、销毁或者转移证据。本局将在七个工作日内（至{{ decide_by }}）"
              "作出处理决定。"),
        ("sign", ("{{ authority }}", "（印章）", "{{ issued_on }}")),
        ("note", "附：先行登记保存物品清单（当事人签名或者盖章）"),
    ),
    fields=(Field("items", "保存的物品（每行一项：名称、规格、数量）", lines=True, required=True),
            Field("place", "保存地点"), Field("saved_on", "登记保存日期")),
    repeatable=True, key_field="saved_on",
))

_kind(Kind(
    "sampling_notice", "抽样取证通知书", "抽",
    (
        ("authority",), ("title",), ("number",),
        ("plain", "{{ party.name }}："),
        ("p", "本局在调查你（单位）涉嫌{{ case.cause }}一案中，依据《中华人民共和国行政处罚法》第五十六条、"
              "《市场监督管理行政处罚程序规定》的规定，对下列物品抽样取证："),
        ("lines", "items"),
        ("p", "样品将送{{ lab }}检验（检测），检验结果将书面告知你（单位）。你（单位）对检验结果有异议的，"
              "可以依法申请复检。"),
        ("sign", ("被抽样人（签名或盖章）：　　　　　　", "{{ authority }}", "（印章）", "{{ issued_on }}")),
    ),
    fields=(Field("items", "抽取的样品（每行一项：名称、规格、批号、数量）", lines=True, required=True),
            Field("lab", "检验（检测）机构"), Field("sampled_on", "抽样日期")),
    repeatable=True, key_field="sampled_on",
))

_kind(Kind(
    "rectification_order", "责令改正通知书", "改",
    (
        ("authority",), ("title",), ("number",),
        ("plain", "{{ party.name }}："),
        ("p", "经查，你（单位）存在以下违法行为："),
        ("lines", "violation"),
        ("p", "上述行为违反了{{ case.violated }}的规定。依据《中华人民共和国行政处罚法》第二十八条第一款"
              "{{ order_basis }}的规定，本局责令你（单位）{{ correct_by }}改正上述违法行为，并将改正情况书面报告本局。"),
        ("p", "逾期不改正的，本局将依法处理。"),
        ("sign", ("{{ authority }}", "（印章）", "{{ issued_on }}")),
    ),
    fields=(Field("violation", "违法行为（每行一项）", lines=True, required=True),
            Field("correct_by", "改正期限（如：立即、于2026年5月15日前）", required=True), Field("order_basis", "其他依据")),
    repeatable=True, key_field="correct_by",
))


def kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise KeyError(f"unknown document kind {code!r}") from None
