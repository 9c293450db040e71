"""Rules of drug, medical-device and cosmetics supervision. Imported from ``DrugsConfig.ready``.

Periods are kept per kind of report and per severity so a bureau can correct one value from an effective date in
工作台 › 业务规则参数 without a release.
"""

from __future__ import annotations

from jianguan.core.rules import define

ADR = "《药品不良反应报告和监测管理办法》（卫生部令第81号）"
MDAE = "《医疗器械不良事件监测和再评价管理办法》（国家市场监督管理总局、国家卫生健康委员会令第1号）"
COSM = "《化妆品不良反应监测管理办法》（国家药品监督管理局公告2022年第16号）"

define("drugs.report_period_days",
       {"drug": {"death": 1, "serious": 15, "general": 30},
        "device": {"death": 7, "serious": 20, "general": 30},
        "cosmetic": {"death": 15, "serious": 15, "general": 30}},
       "不良反应/不良事件的报告时限（日，自获知之日起；期限末日为休息日的顺延）：按类别、严重程度",
       # 第二十条 of the drug regulation is about *which* reactions are reported (all of them during the
       # monitoring period, new and serious ones afterwards); the periods are in 第二十一条 — read in the
       # regulation's text. The device and cosmetic periods were seen only in secondary copies (the device
       # article number and the cosmetic article number were not read), hence U for the whole rule.
       source=f"{ADR}第二十一条（发现或者获知新的、严重的药品不良反应应当在15日内报告，其中死亡病例须立即报告——"
              "本平台按获知次日内；其他药品不良反应应当在30日内报告）；"
              f"{MDAE}第二十五条（导致死亡的7日内，导致严重伤害、可能导致严重伤害或者死亡的20日内；一般事件30日"
              "为本平台默认值）；"
              f"{COSM}（一般化妆品不良反应30日内，严重的15日内，可能引发较大社会影响的3日内报告；死亡属严重不良"
              "反应，按15日；条款号未能与公布文本核对）；期限末日顺延：《中华人民共和国民法典》第二百零三条",
       confidence="U")
define("drugs.review_workdays",
       {"drug": {"death": 3, "serious": 3, "general": 15},
        "device": {"death": 3, "serious": 3, "general": 15},
        "cosmetic": {"death": 3, "serious": 3, "general": 15}},
       "县（区）局对分办的报告完成审核评价的期限（工作日，自接收之日起）：按类别、严重程度",
       source=f"{ADR}第二十四条（严重报告3个工作日内、其他15个工作日内完成审核和评价）；"
              "医疗器械、化妆品报告沿用同一期限为本平台默认值",
       confidence="U")
define("drugs.focus_risk_class", "C",
       "重点监管品种（血液制品、植入性医疗器械、儿童化妆品）经营/使用单位在药品类双随机抽查中的最低风险类别"
       "（按该类别的抽查比例抽取）",
       source="《国家市场监督管理总局关于推进企业信用风险分类管理进一步提升监管效能的意见》（国市监信发〔2022〕6号）"
              "（风险越高抽查比例和频次越高）；《药品检查管理办法（试行）》（国药监药管〔2021〕31号）"
              "（根据风险确定检查频次）；《儿童化妆品监督管理规定》；类别为本平台默认值",
       confidence="U")
