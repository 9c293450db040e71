"""Rules of quality improvement and of the supervision of certification and testing bodies."""

from __future__ import annotations

from jianguan.core.rules import define

CERT_REG = "《中华人民共和国认证认可条例》（2020年修订）"
CMA = "《检验检测机构资质认定管理办法》（市场监管总局令第38号，2021年修改）"
CMA_SUPERVISION = "《检验检测机构监督管理办法》（市场监管总局令第39号）"

define("quality.follow_up_days", 30, "走访发现问题的回访期限（走访之日起的日数）",
       source="平顶山市“质量提升进园区入百企”行动工作安排（本平台默认值）", confidence="U")
define("quality.cma_validity_years", 6, "检验检测机构资质认定证书有效期（年）",
       source=f"{CMA}：资质认定证书有效期为6年（规定此值的条款号未能与公布文本核对）；核对前按本平台默认值对待，由本局更正", confidence="U")
define("quality.report_within_accreditation", True,
       "检验检测报告须在资质认定证书有效期内、能力范围内出具，否则不予采用",
       source=f"{CMA}；{CMA_SUPERVISION}（超出资质认定能力范围或者证书失效出具数据、结果的法律责任）；"
              "“不予采用”为本平台设定", confidence="U")
define("quality.certification_body_licence_kind", "certification_body",
       "认证机构批准书在市场主体许可名录中的种类代码（双随机抽查计划按此筛选检查对象）",
       source=f"{CERT_REG}第九条、第十条（认证机构经批准设立）；第五十三条（监督检查）", confidence="S")
define("quality.testing_licence_kind", "testing_cma",
       "检验检测机构资质认定证书在市场主体许可名录中的种类代码（双随机抽查计划按此筛选检查对象）",
       source=f"{CMA}；{CMA_SUPERVISION}（“双随机、一公开”监管）；种类代码为本平台设定", confidence="U")
