"""Rules of the key-work plan's supervision (督查督办). Bureaus override them in 工作台 › 业务规则参数."""

from jianguan.core.rules import define

define("workplan.reminder_days", 5, "节点到期前提醒（日，自然日）", source="本平台默认值，由督查室按本局督查督办办法调整",
       confidence="U")
define("workplan.escalate_leader_days", 5,
       "节点逾期后提请分管领导督办（逾期满若干工作日；逾期当日即告知单位负责人）",
       source="本平台默认值，由督查室按本局督查督办办法调整", confidence="U")
define("workplan.metric_max_age_minutes", 15, "系统指标计算结果的最长缓存时间（分钟）；超过即重新计算",
       source="本平台默认值", confidence="U")
