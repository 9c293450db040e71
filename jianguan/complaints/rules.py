"""Rules of complaints and reports (SAMR Order 20, docs/domain §6). Imported from ``ComplaintsConfig.ready``.

Every period is in working days (``core.workdays``: the start day is not counted). Bureaus override any value from
an effective date in 工作台 › 业务规则参数.
"""

from jianguan.core.rules import define

ORDER_20 = "《市场监督管理投诉举报处理暂行办法》（市场监管总局令第20号，2022年修正）"

define("complaints.accept_days", 7, "投诉受理决定期限（工作日，自收到投诉之日起）", source=f"{ORDER_20}第十四条",
       confidence="C")
define("complaints.mediation_days", 45,
       "调解期限（工作日，自受理之日起；逾期未达成协议终止调解；检定、检验、检测、鉴定所需时间不计入）",
       source=f"{ORDER_20}第二十一条第一款第五项；不计入的时间见第二十条", confidence="C")
define("complaints.notify_days", 7, "终止调解后告知投诉人和被投诉人的期限（工作日，自作出终止调解决定之日起）",
       source=f"{ORDER_20}第二十一条第二款", confidence="C")
define("complaints.report_check_days", 15, "举报核查期限（工作日，自收到举报之日起，按线索核查）",
       source="《市场监督管理行政处罚程序规定》第十八条", confidence="C")
define("complaints.report_check_extension_days", 15, "举报核查经批准可延长（工作日）",
       source="《市场监督管理行政处罚程序规定》第十八条", confidence="C")
define("complaints.reporter_notify_days", 5, "将立案与否告知实名举报人的期限（工作日，自作出是否立案决定之日起）",
       source=f"{ORDER_20}第三十一条", confidence="C")
define(
    "complaints.refusal_reasons",
    [
        ["not_our_duty", "投诉事项不属于市场监督管理部门职责，或者本行政机关不具有处理权限"],
        ["resolved_elsewhere", "法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议"],
        ["not_consumption", "不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议"],
        ["time_limit", "除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年"],
        ["incomplete", "未提供投诉人的姓名、电话号码、通讯地址，被投诉人的名称（姓名）、地址，具体的投诉请求以及消费者权益争议事实"],
        ["no_demand", "无明确诉求"],
        ["other_law", "法律、法规、规章规定不予受理的其他情形"],
    ],
    "不予受理投诉的情形（代码、表述）",
    source=f"{ORDER_20}第十五条",
    confidence="C",
)
define("complaints.number_prefix", "PDS", "投诉举报编号前缀（如 PDS-2026-000123）",
       source="本平台设定（无法律条款规定编号格式）", confidence="U")
define("complaints.intake_rate", "5/m", "公众投诉举报提交频率上限（每个 IP；空值为不限，仅用于压测）",
       source="本平台默认值", confidence="U")
define("complaints.tracking_rate", "10/m", "进度查询频率上限（每个 IP）", source="本平台默认值", confidence="U")
define("complaints.intake_captcha", True, "公众提交投诉举报须填写图形验证码（仅压测时关闭）",
       source="本平台设定（防止自动提交）", confidence="U")
define("complaints.evidence_max_bytes", 10 * 1024 * 1024, "单个证据文件大小上限（字节；不超过系统上传上限）",
       source="本平台设定", confidence="U")
define("complaints.evidence_max_files", 5, "每件投诉举报证据文件数上限", source="本平台设定", confidence="U")
define("complaints.public_stats_min_count", 3,
       "企业投诉统计公示的最小件数（少于此数不单列，避免由统计反推个人投诉）",
       source="本平台默认值（保护投诉人个人信息，《中华人民共和国个人信息保护法》第十条）", confidence="U")
define("complaints.credit_thresholds", [[3, 1], [10, 2], [30, 3]],
       "信用风险「投诉率」指标：近12个月投诉件数达到阈值时按指标分值的倍数计分（[件数, 倍数]，取最高档）",
       source="本平台默认值；指标分值见 credit.risk.weights 的 complaint_rate", confidence="U")


def refusal_reasons(on=None) -> list[tuple[str, str]]:
    """The refusal grounds in force on ``on``: [(code, text)]."""
    from jianguan.core.rules import rule

    return [(str(code), str(text)) for code, text in rule("complaints.refusal_reasons", on=on)]
