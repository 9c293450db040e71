"""Rules of food safety supervision. Imported from ``FoodConfig.ready``.

Article numbers of the Henan regulation (河南省食品小作坊、小经营店和小摊点管理条例, 2017年11月28日通过、2018年1月1日
施行) were not verified against the gazetted text here: those rules carry confidence U until a bureau confirms
them in 工作台 › 业务规则参数.
"""

from __future__ import annotations

from jianguan.core.rules import define

HENAN = "《河南省食品小作坊、小经营店和小摊点管理条例》"

define("food.small_validity_years", {"workshop": 3, "shop": 3, "stall": 1},
       "三小登记有效期（年）：食品小作坊登记证、小经营店登记卡、小摊点登记卡",
       source=f"{HENAN}第二章（食品小作坊登记证）、第三章（小经营店登记）、第四章（小摊点登记卡）的有效期规定；"
              "条款号和年限待与公布文本核对",
       confidence="U")
define("food.small_renewal_window_days", 30,
       "三小登记延续：有效期届满前多少日内可申请延续（届满后不得延续，须重新登记）",
       source=f"{HENAN}关于登记证（卡）有效期届满需要延续的规定；《河南省食品小经营店登记管理办法（试行）》"
              "（2018年2月27日）延续一章；天数为本平台默认值",
       confidence="U")
