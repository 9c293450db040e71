"""Rules of credit supervision (see ``jianguan.core.rules``). Imported from ``CreditConfig.ready``.

Every period, ratio and weight of docs/domain §3 lives here with its source and confidence; a bureau changes a
value from an effective date in the workbench (系统管理 › 业务规则参数), never in code.
"""

from jianguan.core.rules import define

# --- annual reports -------------------------------------------------------------------------------------------------
define("credit.report.window_start", "01-01", "年度报告报送期开始（月-日，报告年度的次年）",
       source="《企业信息公示暂行条例》（2014年国务院令第654号公布，2024年国务院令第777号修订）第八条第一款：每年1月1日至6月30日报送上一年度年度报告", confidence="C")
define("credit.report.window_end", "06-30", "年度报告报送期截止（月-日，报告年度的次年）；截止后为逾期补报",
       source="《企业信息公示暂行条例》（2014年国务院令第654号公布，2024年国务院令第777号修订）第八条第一款", confidence="C")
define("credit.report.first_year_offset", 0,
       "新设主体首次报送的报告年度 = 成立年度 + 本值（0：当年设立的主体自下一年起报送其成立当年的年度报告）",
       source="《企业信息公示暂行条例》（2014年国务院令第654号公布，2024年国务院令第777号修订）第八条第二款：当年设立登记的企业，自下一年起报送并公示年度报告", confidence="C")
define("credit.report.required_kinds",
       ["llc", "joint_stock", "sole", "partnership", "branch", "foreign", "individual", "cooperative"],
       "应当报送年度报告的主体类型",
       source="《企业信息公示暂行条例》（2014年国务院令第654号公布，2024年国务院令第777号修订）第八条（企业，含分支机构、外国企业）；《个体工商户年度报告暂行办法》（原国家工商行政管理总局令第69号）、"
              "《农民专业合作社年度报告公示暂行办法》（原国家工商行政管理总局令第70号）（个体工商户、农民专业合作社，"
              "该两办法条款号未与公布文本核对）", confidence="C")
define("credit.report.individual_handling", "mark",
       "个体工商户未报年报的处理：mark 标记为经营异常状态；list 列入经营异常名录；none 不处理",
       source="《个体工商户年度报告暂行办法》（原国家工商行政管理总局令第69号，2014年）第十三条：未按规定报送的，"
              "标记为经营异常状态（不列入经营异常名录）（条款号未与公布文本核对）", confidence="S")

# --- instant information --------------------------------------------------------------------------------------------
define("credit.instant.publish_workdays", 20, "即时信息自形成之日起公示期限（工作日）",
       source="《企业信息公示暂行条例》（2014年国务院令第654号公布，2024年国务院令第777号修订）第十条第一款：自信息形成之日起20个工作日内公示", confidence="C")
define("credit.instant.order_days", 10, "责令限期公示的期限（日）",
       source="《企业信息公示暂行条例》（2014年国务院令第654号公布，2024年国务院令第777号修订）第十条第二款（未依照规定履行公示义务的，责令其限期履行）；"
              "《企业经营异常名录管理暂行办法》（原国家工商行政管理总局令第68号，2014年）第七条（书面责令其在10日内履行公示义务；"
              "列入事由见第四条第（二）项）", confidence="S")

# --- abnormal list --------------------------------------------------------------------------------------------------
define("credit.abnormal.listing_workdays", 10,
       "列入经营异常名录的期限（工作日）：年报自报送期截止之日（6月30日）起，即时信息自责令期限届满之日起，"
       "弄虚作假、无法联系自查实之日起；起算日不计入",
       source="《企业经营异常名录管理暂行办法》（原国家工商行政管理总局令第68号，2014年）第六条（年报：当年年度报告公示结束之日起10个工作日内）、"
              "第七条（即时信息：责令的期限届满之日起10个工作日内）、第八条至第九条（弄虚作假、无法联系：查实之日起10个工作日内）；"
              "2025年修订施行的经营异常名录管理规定条款号未与公布文本核对", confidence="S")
define("credit.abnormal.removal_workdays", 5,
       "移出经营异常名录的期限（工作日）：自收到移出申请之日或者查实列入事由已消除之日起",
       source="《企业经营异常名录管理暂行办法》（原国家工商行政管理总局令第68号，2014年）第十一条至第十四条（按列入事由分别规定移出程序，5个工作日内作出移出决定）；"
              "2025年修订施行的经营异常名录管理规定条款号未与公布文本核对", confidence="S")
define("credit.abnormal.serious_after_years", 3, "列入经营异常名录届满几年仍未履行义务的，列入严重违法失信名单",
       source="《企业信息公示暂行条例》（2014年国务院令第654号）第十七条第二款：满3年未依照本条例规定履行公示义务的，"
              "列入严重违法企业名单（2024年国务院令第777号修订后为第十八条）；"
              "《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）第十三条", confidence="C")
define("credit.abnormal.serious_reminder_days", 60, "届满3年前公告提醒提前天数（日历日）",
       source="原《严重违法失信企业名单管理暂行办法》（原国家工商行政管理总局令第83号）第八条第一款曾规定列入经营异常名录"
              "满3年前60日内以公告方式提示；该办法已由《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）废止，"
              "现行规章未见条款规定提前天数：60 日为本平台默认值，由本局设定", confidence="U")

# --- serious list ---------------------------------------------------------------------------------------------------
define("credit.serious.term_years", 3, "列入严重违法失信名单的期限（年）",
       source="《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）第二十一条（列入之日起满三年的移出）；"
              "条款号未与公布文本核对", confidence="U")
define("credit.serious.early_removal_years", 1, "列入严重违法失信名单满几年后可申请提前移出",
       source="《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）第二十二条（列入满一年可申请提前移出）；"
              "条款号未与公布文本核对", confidence="U")

# --- credit repair --------------------------------------------------------------------------------------------------
define("credit.repair.penalty_min_months", 6, "行政处罚信息公示满几个月后可申请信用修复（一般领域）",
       source="《市场监督管理信用修复管理办法》（国市监信规〔2021〕3号）第六条：除《市场监督管理行政处罚信息公示规定》第十三条第三款规定的行政处罚，或者仅受到警告、通报批评和"
              "较低数额罚款外，其他行政处罚信息公示期满六个月，且符合所列情形的当事人，可以申请信用修复；"
              "时限由《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）第十四条第二款授权总局另行规定",
       confidence="C")
define("credit.repair.penalty_min_months_special", 12, "食品、药品、特种设备领域行政处罚信息公示满几个月后可申请修复",
       source="《市场监督管理信用修复管理办法》（国市监信规〔2021〕3号）第六条：其中食品、药品、特种设备领域行政处罚信息公示期满一年", confidence="C")
define("credit.repair.special_sectors", ["food", "drug", "equipment"], "适用较长修复期限的处罚领域",
       source="《市场监督管理信用修复管理办法》（国市监信规〔2021〕3号）第六条：食品、药品、特种设备领域", confidence="C")
define("credit.repair.no_early_kinds",
       ["suspension", "restrict_business", "restrict_employment", "downgrade", "licence_revocation"],
       "不得提前停止公示（不适用信用修复最短公示期）的处罚种类：责令停产停业、限制开展生产经营活动、限制从业、"
       "降低资质等级、吊销许可证件（含吊销营业执照）",
       source="《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）第十四条第三款：当事人受到责令停产停业、"
              "限制开展生产经营活动、限制从业、降低资质等级、吊销许可证件、吊销营业执照以及国家市场监督管理总局规定的"
              "其他较为严重行政处罚的，不得提前停止公示；《市场监督管理信用修复管理办法》（国市监信规〔2021〕3号）第六条", confidence="C")

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
define("credit.listing_workers", 2,
       "七月年报列异的并行进程数（仅 PostgreSQL；按作出决定的单位分给各进程，同一单位的文号只在一个进程中连续编号）",
       source="本平台默认值：全省规模七月一次列异约二百万户，逐户编号、公告、留痕；两核服务器用两个进程可缩短数分钟", confidence="U")
define("credit.risk_work_mem_mb", 1024,
       "信用风险分类全量重算时数据库排序、分组可用的内存（兆字节，仅 PostgreSQL，仅该作业的事务内有效；0 为数据库默认值）",
       source="本平台默认值：一千万户的指标按主体分组、与已存分类比对，在数据库默认的 64 MB 内要写临时文件", confidence="U")
