"""The start-up rules: targets, thresholds and periods a bureau may change without a release (core.rules)."""

from jianguan.core.rules import define

define(
    "startup.decision_target_hours",
    4,
    "企业开办审批办结时限（工作小时）",
    "多地承诺“半个工作日”办结；按每个工作日 8 个办公小时计，半日 = 4 工作小时",
    "S",
)
define(
    "startup.office_hours",
    [9, 17],
    "计算办理用时的办公时段（起止整点，工作日）",
    "用于把提交到决定之间的时间折算为工作小时",
    "U",
)
define(
    "startup.auto_approval_max_capital",
    10000,
    "智慧审批自动核准的注册资本上限（万元）",
    "超过上限的申请转人工审核",
    "U",
)
define(
    "startup.simple_deregistration_notice_days",
    20,
    "简易注销公告期（自然日）",
    "《市场主体登记管理条例》第三十三条：公示期 20 日",
    "S",
)
define("startup.verification_code_minutes", 10, "短信验证码有效期（分钟）", confidence="U")
define("startup.verification_code_attempts", 5, "短信验证码最多尝试次数", confidence="U")
define("startup.verification_per_day", 10, "每个手机号每日最多发送验证码次数", confidence="U")
define("startup.verification_interval_seconds", 60, "同一手机号两次发送验证码的最短间隔（秒）", confidence="U")
# Keywords in a business scope that need a permit BEFORE registration (前置许可). Items licensed after
# registration (后置许可, e.g. 食品经营) do not stop automatic approval: the licence follows later.
define(
    "startup.prior_permit_keywords",
    {
        "危险化学品": "危险化学品经营许可（应急管理部门）",
        "烟花爆竹": "烟花爆竹经营许可（应急管理部门）",
        "民用爆炸物品": "民用爆炸物品生产/销售许可（工业和信息化部门）",
        "枪支": "枪支、弹药制造/配售许可（公安机关）",
        "药品生产": "药品生产许可（药品监督管理部门）",
        "药品批发": "药品经营许可（药品监督管理部门）",
        "特种设备制造": "特种设备生产许可（市场监管部门）",
        "金融": "金融业务许可（金融监管部门）",
        "证券": "证券业务许可（证券监管部门）",
        "保险": "保险业务许可（金融监管部门）",
        "出版物印刷": "印刷经营许可（出版管理部门）",
        "劳务派遣": "劳务派遣经营许可（人力资源和社会保障部门）",
        "人力资源服务": "人力资源服务许可（人力资源和社会保障部门）",
        "旅行社": "旅行社业务经营许可（文化和旅游部门）",
        "道路旅客运输": "道路运输经营许可（交通运输部门）",
        "医疗机构": "医疗机构执业许可（卫生健康部门）",
    },
    "需前置许可的经营范围关键词 → 许可",
    "《企业登记前置审批事项目录》（国务院决定，择要）",
    "S",
)
