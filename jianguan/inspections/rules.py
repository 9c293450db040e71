"""Rules of double-random inspections (see ``jianguan.core.rules``). Imported from ``InspectionsConfig.ready``.

Ratios are strings holding decimals ("0.03"): a quota is ceil(ratio × stratum size), and binary floating point would
turn 3 % of 100 into 3.0000000000000004 and the quota into 4.
"""

from jianguan.core.rules import define

RISK_CLASSES = ("A", "B", "C", "D")

define(
    "inspections.ratio.A",
    "0.01",
    "双随机抽查比例：A 类（低风险）",
    source="《国家市场监督管理总局关于推进企业信用风险分类管理进一步提升监管效能的意见》（国市监信发〔2022〕6号）："
           "风险越低抽查比例越低，不规定全国比例；河南省低风险实际比例 1%；A/B/C/D 为 1%/3%/10%/30% 是本平台默认值",
    confidence="U",
)
define(
    "inspections.ratio.B",
    "0.03",
    "双随机抽查比例：B 类（一般风险；无风险分类记录的主体按 B 类）",
    source="国市监信发〔2022〕6号不规定全国比例：本平台默认值",
    confidence="U",
)
define(
    "inspections.ratio.C", "0.10", "双随机抽查比例：C 类（较高风险）",
    source="国市监信发〔2022〕6号不规定全国比例：本平台默认值", confidence="U"
)
define(
    "inspections.ratio.D",
    "0.30",
    "双随机抽查比例：D 类（高风险）",
    source="国市监信发〔2022〕6号不规定全国比例；河南省 2021 年高风险实际比例 30%：本平台默认值",
    confidence="U",
)
define(
    "inspections.exclusion_months",
    12,
    "同一事项已抽查过的主体，在此月数内不再列入名录库抽取范围",
    source="国办发〔2015〕58号：避免重复检查；月数为本平台默认值",
    confidence="U",
)
define("inspections.min_age_months", 6, "成立不满此月数的主体不列入抽取范围", source="本平台默认值", confidence="U")
define(
    "inspections.conflict_months",
    24,
    "检查人员在此月数内检查过同一主体的，自动回避",
    source="回避制度（《中华人民共和国行政处罚法》（2021年修订）第四十三条）；期限为本平台默认值",
    confidence="U",
)
define(
    "inspections.team_size", 2, "每个检查组的人数（不少于 2 名持证执法人员）",
    source="《中华人民共和国行政处罚法》（2021年修订）第四十二条第一款：执法人员不得少于两人", confidence="C"
)
define("inspections.max_tasks", 20, "每名检查人员每批次最多承担的检查任务数", source="本平台默认值", confidence="U")
define("inspections.result_days", 20, "检查结果录入期限（自抽取之日起的工作日）", source="本平台默认值", confidence="U")
define(
    "inspections.publish_days",
    20,
    "检查结果公示期限（自结果确认之日起的工作日）",
    source="“谁检查、谁录入、谁公开”（国办发〔2015〕58号）；公示期限无条款规定，20 个工作日为本平台默认值",
    confidence="U",
)
define(
    "inspections.upload_max_bytes",
    10 * 1024 * 1024,
    "检查照片和附件的单个文件大小上限（字节）",
    source="本平台默认值",
    confidence="U",
)
