"""Rules of credit supervision (see ``jianguan.core.rules``). Imported from ``CreditConfig.ready``.

Every period, ratio and weight of docs/domain §3 lives here with its source and confidence; a bureau changes a
value from an effective date in the workbench (系统管理 › 业务规则参数), never in code.
"""

from jianguan.core.rules import define

# --- annual reports -------------------------------------------------------------------------------------------------
define("credit.report.window_start", "01-01", "年度报告报送期开始（月-日，报告年度的次年）",
       source="企业信息公示暂行条例第八条：每年1月1日至6月30日", confidence="C")
define("credit.report.window_end", "06-30", "年度报告报送期截止（月-日，报告年度的次年）；截止后为逾期补报",
       source="企业信息公示暂行条例第八条", confidence="C")
define("credit.report.first_year_offset", 0,
       "新设主体首次报送的报告年度 = 成立年度 + 本值（0：当年设立的主体自下一年起报送其成立当年的年度报告）",
       source="企业信息公示暂行条例第八条：当年设立登记的企业，自下一年起报送", confidence="C")
define("credit.report.required_kinds",
       ["llc", "joint_stock", "sole", "partnership", "branch", "foreign", "individual", "cooperative"],
       "应当报送年度报告的主体类型", source="企业信息公示暂行条例、个体工商户年度报告办法、农民专业合作社年度报告公示办法",
       confidence="C")
define("credit.report.individual_handling", "mark",
       "个体工商户未报年报的处理：mark 标记为经营异常状态；list 列入经营异常名录；none 不处理",
       source="个体工商户年度报告暂行办法第十三条：未按规定报送的，标记为经营异常状态（不列入经营异常名录）",
       confidence="S")

# --- instant information --------------------------------------------------------------------------------------------
define("credit.instant.publish_workdays", 20, "即时信息自形成之日起公示期限（工作日）",
       source="企业信息公示暂行条例第十条", confidence="C")
define("credit.instant.order_days", 10, "责令限期公示的期限（日）",
       source="经营异常名录管理办法第四条第二项", confidence="C")

# --- abnormal list --------------------------------------------------------------------------------------------------
define("credit.abnormal.listing_workdays", 10,
       "列入经营异常名录的期限（工作日）：年报自报送期截止之日（6月30日）起，即时信息自责令期限届满之日起，"
       "弄虚作假、无法联系自查实之日起；起算日不计入",
       source="《企业经营异常名录管理暂行办法》第六条至第九条", confidence="S")
define("credit.abnormal.removal_workdays", 5,
       "移出经营异常名录的期限（工作日）：自收到移出申请之日或者查实列入事由已消除之日起",
       source="《企业经营异常名录管理暂行办法》第十一条至第十四条", confidence="S")
define("credit.abnormal.serious_after_years", 3, "列入经营异常名录届满几年仍未履行义务的，列入严重违法失信名单",
       source="企业信息公示暂行条例第十七条；市场监督管理严重违法失信名单管理办法第十三条", confidence="C")
define("credit.abnormal.serious_reminder_days", 60, "届满3年前公告提醒提前天数（日历日）",
       source="docs/domain §3；各地做法", confidence="S")

# --- serious list ---------------------------------------------------------------------------------------------------
define("credit.serious.term_years", 3, "列入严重违法失信名单的期限（年）",
       source="市场监督管理严重违法失信名单管理办法第二十一条（一般为三年）", confidence="U")
define("credit.serious.early_removal_years", 1, "列入严重违法失信名单满几年后可申请提前移出",
       source="市场监督管理严重违法失信名单管理办法第二十二条", confidence="U")

# --- credit repair --------------------------------------------------------------------------------------------------
define("credit.repair.penalty_min_months", 6, "行政处罚信息公示满几个月后可申请信用修复（一般领域）",
       source="市场监督管理信用修复管理办法", confidence="C")
define("credit.repair.penalty_min_months_special", 12, "食品、药品、特种设备领域行政处罚信息公示满几个月后可申请修复",
       source="市场监督管理信用修复管理办法", confidence="C")
define("credit.repair.special_sectors", ["food", "drug", "equipment"], "适用较长修复期限的处罚领域",
       source="市场监督管理信用修复管理办法", confidence="C")
define("credit.repair.no_early_kinds", ["licence_revocation", "suspension", "restrict_employment"],
       "不得提前停止公示（不予信用修复）的处罚种类：吊销许可证件、责令停产停业、限制从业（禁止从业）",
       source="市场监督管理信用修复管理办法（行政处罚信息修复的除外情形）；docs/domain §3", confidence="S")

# --- risk classification --------------------------------------------------------------------------------------------
define("credit.risk.weights", {
    "new_entity": 10,
    "report_missing": 20,
    "report_late": 10,
    "abnormal_list": 30,
    "serious_list": 60,
    "high_risk_licence": 15,
    "all_zero_financials": 15,
    "shared_address": 10,
    "penalties_3y": 25,
    "inspection_problems": 15,
    "complaint_rate": 10,
    "equipment_hazards": 15,
    "equipment_accidents": 20,
}, "信用风险分类各指标分值（指标代码: 分值；0 为不计分）",
    source="国市监信发〔2022〕6号：分类指标由各地确定；本平台默认值", confidence="U")
define("credit.risk.thresholds", {"B": 10, "C": 30, "D": 50},
       "信用风险分类分值线：达到 B/C/D 分值线即为该类，不足 B 为 A 类",
       source="国市监信发〔2022〕6号：不规定全国统一比例；本平台默认值", confidence="U")
define("credit.risk.shared_address_min", 5, "同一登记地址主体数达到多少户即计「一址多照」风险",
       source="本平台默认值", confidence="U")
define("credit.risk.new_entity_months", 12, "成立不满几个月的主体计「新设主体」风险", source="本平台默认值",
       confidence="U")
