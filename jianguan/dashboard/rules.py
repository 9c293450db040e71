from jianguan.core.rules import define

define("dashboard.max_age_minutes", 10, "领导驾驶舱统计数据的最长缓存时间（分钟）；超过即重新统计",
       source="本平台默认值", confidence="U")
