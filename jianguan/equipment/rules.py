"""Rules of special equipment supervision (docs/domain §1, §7). Imported from ``EquipmentConfig.ready``.

Every inspection interval is a rule with its source and confidence mark; bureaus correct any value from an
effective date in 工作台 › 业务规则参数 and the daily job recomputes the schedules.
"""

from __future__ import annotations

import datetime as dt

from jianguan.core.rules import define, rule

from .schedule import EXTERNAL, HYDROSTATIC, INTERNAL, Rules

LAW = "《中华人民共和国特种设备安全法》"

define("equipment.apply_months_before", 1, "使用单位提出定期检验要求的时限（检验合格有效期届满前 N 个月）",
       source=f"{LAW}第四十条第一款", confidence="C")
define("equipment.lift_full_inspection_years", [1, 4, 7, 9, 11, 13, 15],
       "电梯定期检验年份（投用后第 N 年；其余年份由使用单位委托自行检测）",
       source="TSG T7001-2023《电梯监督检验和定期检验规则》（规定此值的条款号未能与公布文本核对）；核对前按本平台默认值对待，由本局更正", confidence="U")
define("equipment.lift_yearly_after_years", 15, "电梯投用满 N 年后每年定期检验",
       source="TSG T7001-2023《电梯监督检验和定期检验规则》（规定此值的条款号未能与公布文本核对）；核对前按本平台默认值对待，由本局更正", confidence="U")
define("equipment.vessel_first_years", 3, "固定式压力容器投用后首次定期检验期限（年）",
       source="TSG 21-2016《固定式压力容器安全技术监察规程》8.1.6", confidence="S")
define("equipment.vessel_years_by_grade", {"1": 6, "2": 6, "3": 3, "4": 3},
       "固定式压力容器定期检验周期（年，按安全状况等级；5 级不得使用）",
       source="TSG 21-2016《固定式压力容器安全技术监察规程》8.1.6", confidence="S")
define("equipment.boiler_years", {EXTERNAL: 1, INTERNAL: 2, HYDROSTATIC: 6},
       "锅炉外部检验、内部检验、水（耐）压试验周期（年）", source="TSG 11-2020《锅炉安全技术规程》（规定此值的条款号未能与公布文本核对）；核对前按本平台默认值对待，由本局更正",
       confidence="U")
define("equipment.cylinder_years", {"lpg": 4, "corrosive": 2, "general": 3, "inert": 5},
       "气瓶定期检验周期（年，按气瓶种类）", source="TSG 23-2021《气瓶安全技术规程》（规定此值的条款号未能与公布文本核对）；核对前按本平台默认值对待，由本局更正",
       confidence="U")
define("equipment.interval_years", {"2200": 1, "2400": 1, "4000": 1, "5000": 1, "6000": 1, "8000": 3, "9000": 1},
       "其他特种设备定期检验周期（年，按设备类别）",
       source="各类设备的检验规则（TSG Q7015《起重机械定期检验规则》、TSG N0001《场（厂）内专用机动车辆安全技术监察规程》、"
              "TSG Y7004《大型游乐设施定期检验规则》、TSG D7005《压力管道定期检验规则——工业管道》、"
              "TSG S7001《客运索道监督检验和定期检验规则》）；各类周期的条款号未能与公布文本核对，按本平台默认值对待，由本局更正",
       confidence="U")
define("equipment.due_soon_days", 30, "「即将到期」名单的天数", source="本平台默认值", confidence="U")
define("equipment.operator_certificate_years", 4, "特种设备作业人员证有效期（年）",
       source="TSG Z6001-2019《特种设备作业人员考核规则》（规定此值的条款号未能与公布文本核对）；核对前按本平台默认值对待，由本局更正", confidence="U")
define("equipment.import_max_bytes", 20 * 1024 * 1024, "导入设备台账文件的大小上限（字节；仅接受 .xlsx）",
       source="本平台默认值（10 万行约 8 MB）", confidence="U")
define("equipment.order_correct_days", 15,
       "超期未检设备：责令改正通知书的改正期限（日，自制作之日起；期满未改正的移送执法线索）",
       source="《中华人民共和国特种设备安全法》第八十三条第（四）项「未按照安全技术规范的要求及时申报并接受检验的……责令限期改正；"
              "逾期未改正的……处罚」（期限为本平台默认值）",
       confidence="U")
define("equipment.credit_major_hazard_months", 12,
       "信用风险分类：近 N 个月发现重大事故隐患的使用单位计「特种设备事故隐患」风险（逾期未整改的隐患不论时间）",
       source="《中华人民共和国特种设备安全法》第六十一条（发现事故隐患时发出安全监察指令，责令消除）；月数为本平台默认值",
       confidence="U")
define("equipment.credit_accident_years", 3, "信用风险分类：近 N 年发生特种设备事故的使用单位计「特种设备事故」风险",
       source="《中华人民共和国特种设备安全法》第九十一条（对事故发生负有责任的单位处罚）；年数为本平台默认值",
       confidence="U")
define("equipment.hazard_days", 30, "一般事故隐患整改期限默认值（天）", source="本平台默认值", confidence="U")


def schedule_rules(on: dt.date) -> Rules:
    """The schedule's rule values in force on ``on``."""
    return Rules(
        lift_full_years=tuple(int(x) for x in rule("equipment.lift_full_inspection_years", on=on)),
        lift_yearly_after=int(rule("equipment.lift_yearly_after_years", on=on)),
        vessel_first_years=int(rule("equipment.vessel_first_years", on=on)),
        vessel_years_by_grade={str(k): int(v) for k, v in rule("equipment.vessel_years_by_grade", on=on).items()},
        boiler_years={str(k): int(v) for k, v in rule("equipment.boiler_years", on=on).items()},
        cylinder_years={str(k): int(v) for k, v in rule("equipment.cylinder_years", on=on).items()},
        interval_years={str(k): int(v) for k, v in rule("equipment.interval_years", on=on).items()},
        apply_months=int(rule("equipment.apply_months_before", on=on)),
    )
