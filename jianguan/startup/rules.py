"""The start-up rules: targets, thresholds and periods a bureau may change without a release (core.rules)."""

from jianguan.core.rules import define

define(
    "startup.decision_target_hours",
    4,
    "企业开办审批办结时限（工作小时）",
    "无全国统一条款规定办结时限：多地承诺“半个工作日”办结，按每个工作日 8 个办公小时计为 4 工作小时，为本平台默认值",
    "U",
)
define(
    "startup.office_hours",
    [9, 17],
    "计算办理用时的办公时段（起止整点，工作日）",
    "本平台设定：用于把提交到决定之间的时间折算为工作小时",
    "U",
)
define(
    "startup.auto_approval_max_capital",
    10000,
    "智慧审批自动核准的注册资本上限（万元）",
    "本平台默认值（无法律条款规定自动核准的范围）：超过上限的申请转人工审核",
    "U",
)
define(
    "startup.simple_deregistration_notice_days",
    20,
    "简易注销公告期（自然日）",
    "《市场主体登记管理条例》第三十三条：公示期 20 日",
    "S",
)
define("startup.verification_code_minutes", 10, "短信验证码有效期（分钟）", source="本平台设定", confidence="U")
define("startup.verification_code_attempts", 5, "短信验证码最多尝试次数", source="本平台设定", confidence="U")
define("startup.verification_per_day", 10, "每个手机号每日最多发送验证码次数", source="本平台设定", confidence="U")
define("startup.verification_interval_seconds", 60, "同一手机号两次发送验证码的最短间隔（秒）", source="本平台设定",
       confidence="U")
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
    "《企业登记前置审批事项目录》（国务院决定，按序号列举事项，不分条）；关键词与事项的对应择要收录，为本平台默认值",
    "U",
)
# GB/T 4754-2017 sections whose units are not market entities (they register with the establishment or civil-affairs
# authorities): the start-up wizard and the name check offer only the other sections' divisions.
define(
    "startup.non_market_industry_sections",
    ["S", "T"],
    "不属于市场主体登记范围的国民经济行业门类",
    "《市场主体登记管理条例》第二条（市场主体为以营利为目的从事经营活动的企业、个体工商户、农民专业合作社等）；"
    "GB/T 4754-2017 门类S（公共管理、社会保障和社会组织：党政机关、群众团体、基层群众自治组织）、门类T（国际组织）",
    "S",
)
# Business-scope expressions → the licence (registry LicenceKind code) needed after registration (后置许可). The
# longest expression wins, so 食品销售（仅销售预包装食品） needs the filing, not the food business licence.
define(
    "startup.scope_permits",
    {
        "食品生产": "food_production",
        "糕点制造": "food_production",
        "糕点、面包制造": "food_production",
        "饮料生产": "food_production",
        "乳制品生产": "food_production",
        "调味品生产": "food_production",
        "食用植物油加工": "food_production",
        "速冻食品制造": "food_production",
        "食品销售": "food_business",
        "餐饮服务": "food_business",
        "食品互联网销售": "food_business",
        "食品销售（仅销售预包装食品）": "food_filing",
        "预包装食品销售": "food_filing",
        "食品小作坊": "food_workshop",
        "药品零售": "drug_retail",
        "第三类医疗器械经营": "device_business",
        "第二类医疗器械销售": "device_filing",
        "第二类医疗器械经营": "device_filing",
        "化妆品生产": "cosmetics_production",
        "特种设备安装改造修理": "special_equipment_production",
        "特种设备制造": "special_equipment_production",
    },
    "经营范围表述 → 登记后须办理的许可（许可种类代码）",
    "《经营范围登记规范表述目录》中的许可项目及其审批部门；《食品生产许可管理办法》第二条、《食品经营许可和备案管理办法》"
    "第二条（仅销售预包装食品的备案）、《药品经营和使用质量监督管理办法》、《医疗器械经营监督管理办法》第三条（第二类备案、第三类许可）、"
    "《化妆品生产经营监督管理办法》、《特种设备安全法》第十八条（择要）",
    "S",
)
# 一照通行: low-risk licence kinds the bureau grants together with the registration on the applicant's written
# commitment (告知承诺), shown on the business licence. A bureau adds or removes kinds from an effective date.
define(
    "startup.commitment_permits",
    {
        "food_filing": {"prefix": "YB", "commitment": "本人承诺仅销售预包装食品，经营场所、设施符合食品安全要求，"
                                                      "建立并执行进货查验记录制度；如有不实，愿承担备案被撤销及相应法律责任。"},
        "device_filing": {"prefix": "XB", "commitment": "本人承诺具有与经营范围和经营规模相适应的经营场所、贮存条件和质量管理制度，"
                                                        "配备相应的质量管理人员；如有不实，愿承担备案被撤销及相应法律责任。"},
    },
    "“一照通行”：随设立登记以告知承诺方式同步办理的低风险许可（许可种类代码 → 编号前缀、承诺内容）",
    "《国务院关于深化“证照分离”改革进一步激发市场主体发展活力的通知》（国发〔2021〕7号）：实行告知承诺的事项，申请人书面承诺"
    "符合条件即当场办理；《食品经营许可和备案管理办法》（2023）：仅销售预包装食品实行备案；《医疗器械经营监督管理办法》（2022）第三条："
    "第二类医疗器械经营实行备案。列入哪些事项由本局确定",
    "U",
)
