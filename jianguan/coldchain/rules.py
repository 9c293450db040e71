"""Rules of imported cold-chain food tracing. Imported from ``ColdchainConfig.ready``.

The task clocks of a trace are platform defaults (confidence U): the joint prevention mechanism's notices ask for
"immediate" sealing and same-day reporting without fixing hours, so a bureau sets its own values from an effective
date in 工作台 › 业务规则参数.
"""

from __future__ import annotations

from jianguan.core.rules import define

LAW = "《中华人民共和国食品安全法》"

#: tasks of a trace, in the order a holder does them
TASKS = (
    ("seal", "封存在库产品"),
    ("notify", "通知上下游和停止销售"),
    ("disinfect", "环境和产品外包装消杀"),
    ("report", "处置情况报告"),
)
TASK_LABELS = dict(TASKS)

define("coldchain.task_hours", {"seal": 2, "notify": 12, "disinfect": 24, "report": 48},
       "追溯处置任务时限（小时，自启动追溯起算）：封存、通知、消杀、报告",
       source=f"{LAW}第六十三条（召回、停止经营）；《进口冷链食品预防性全面消毒工作方案》（国务院联防联控机制）；"
              "时限为本平台默认值",
       confidence="U")
define("coldchain.required_documents", ["customs_declaration", "quarantine_certificate", "nucleic_acid_report",
                                        "disinfection_certificate"],
       "进口冷链食品入库须具备的证明（报关单、检验检疫证明、核酸检测报告、消毒证明）",
       source=f"{LAW}第五十三条（进货查验）、第九十二条（进口食品检验检疫）、第九十八条（进口和销售记录）；"
              "国务院联防联控机制关于进口冷链食品“四证”查验的要求",
       confidence="S")
define("coldchain.max_trace_depth", 50, "追溯的最大流转层级（防止环状记录无限展开）", source="本平台默认值",
       confidence="U")
