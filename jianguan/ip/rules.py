"""Rules of IP protection work, each with its source. Imported from ``IpConfig.ready``."""

from __future__ import annotations

from jianguan.core.rules import define

TRADEMARK_LAW = "《中华人民共和国商标法》（2019年修正）"
PATENT_LAW = "《中华人民共和国专利法》（2020年修正）"
ORDER_2 = "《市场监督管理行政处罚程序规定》（市场监管总局令第2号，2022年修正）"

define("ip.case_types", ["trademark", "patent_counterfeit", "counterfeit_goods"],
       "登记知识产权案件要素的案件类型（商标侵权、假冒专利、侵权假冒商品）",
       source=f"{TRADEMARK_LAW}第六十条、第六十一条；{PATENT_LAW}第六十八条；本平台分类", confidence="S")
define("ip.identification_excluded", True,
       "权利人辨认或者鉴别时间不计入立案决定期限和案件办理期限（记为案件的期限中止，事由“权利人辨认或者鉴别”）",
       source=f"{ORDER_2}第十八条、第六十四条；{TRADEMARK_LAW}第六十二条", confidence="C")
define("ip.report_campaigns", ["huhang", "leiting"],
       "须上报统计的知识产权专项行动（专项行动代码：护航、雷霆）",
       source="平顶山市市场监管局 2022 年工作要点（“护航”“雷霆”等行动）；上报口径由上级通知确定，"
              "行动清单为本平台默认值", confidence="U")
define("ip.gi_user_in_area", True,
       "地理标志专用标志使用人须为产地范围内的生产者（产地范围外的使用人不予登记）",
       source="《地理标志专用标志使用管理办法（试行）》（国家知识产权局公告第354号）第四条；《地理标志产品保护规定》第二十条",
       confidence="S")
define("ip.trademark_agency_licence_kind", "trademark_agency",
       "商标代理机构备案在市场主体许可名录中的种类代码（双随机抽查计划按此筛选检查对象）",
       source="《商标代理监督管理规定》（市场监管总局令第63号）第十一条、第三十条（双随机抽查）", confidence="S")
