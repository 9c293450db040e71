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
              "条款号和年限待与公布文本核对，核对前按本平台默认值对待",
       confidence="U")
define("food.small_renewal_window_days", 30,
       "三小登记延续：有效期届满前多少日内可申请延续（届满后不得延续，须重新登记）",
       source=f"{HENAN}关于登记证（卡）有效期届满需要延续的规定；《河南省食品小经营店登记管理办法（试行）》"
              "（2018年2月27日）延续一章；天数为本平台默认值",
       confidence="U")

GRADING = "《餐饮服务食品安全监督量化分级管理工作指南》及《餐饮服务食品安全监督检查操作指南》"

#: the checklist: every item must be answered; weights sum to 100; a failing key item caps the grade at 一般
define("food.grading_checklist", [
    {"code": "licence", "label": "许可证件、量化等级公示", "weight": 5, "key": False},
    {"code": "health", "label": "从业人员健康证明和培训", "weight": 10, "key": True},
    {"code": "purchase", "label": "原料进货查验和索证索票", "weight": 15, "key": True},
    {"code": "storage", "label": "食品和原料贮存", "weight": 10, "key": False},
    {"code": "processing", "label": "加工制作过程（生熟分开、烹饪温度）", "weight": 15, "key": True},
    {"code": "tableware", "label": "餐饮具清洗消毒", "weight": 15, "key": True},
    {"code": "additives", "label": "食品添加剂使用和公示", "weight": 10, "key": True},
    {"code": "sample", "label": "食品留样", "weight": 5, "key": False},
    {"code": "pests", "label": "虫害防控和环境卫生", "weight": 10, "key": False},
    {"code": "waste", "label": "餐厨废弃物处置", "weight": 5, "key": False},
], "量化分级检查表：检查项目、分值（合计 100）、是否关键项（关键项不符合的，动态等级为一般）",
    source=f"{GRADING}（检查项目与分值为本平台默认值，由市局按省局检查表调整）", confidence="U")
define("food.grading_thresholds", {"excellent": 90, "good": 70},
       "动态等级分数线：不低于 excellent 为优秀（大笑），不低于 good 为良好（微笑），其余为一般（平脸）",
       source=f"{GRADING}；分数线为本平台默认值", confidence="U")
define("food.annual_thresholds", {"A": 90, "B": 70},
       "年度等级：过去 12 个月动态评定的平均分不低于 A 且无“一般”为 A 级，不低于 B 为 B 级，其余为 C 级",
       source=f"{GRADING}（年度等级 A/B/C 按 12 个月内动态等级评定）；分数线为本平台默认值", confidence="U")
define("food.grading_new_licence_months", 3, "新取得食品经营许可证不满几个月的，不评定动态等级",
       source=f"{GRADING}：新办餐饮服务单位原则上在取得许可证三个月后评定（指南中该规定的条款号未能与公布文本核对）；"
              "核对前按本平台默认值对待", confidence="U")

SAMPLING = "《食品安全抽样检验管理办法》（国家市场监督管理总局令第 15 号，2019 年）"

define("food.sampling_objection_days", 7,
       "食品安全监督抽检复检申请期限：自收到不合格检验结论之日起的工作日数",
       source=f"{SAMPLING}第三十五条（自收到不合格检验结论通知之日起 7 个工作日内提出书面复检申请）；"
              "条款号未能与公布文本核对：二手整理的时限表把复检申请列在第三十条、第三十五条列为异议（同为 7 个工作日），"
              "请按公布文本更正",
       confidence="S")
define("food.sampling_rectification_days", 90,
       "不合格食品核查处置期限（日，自送达不合格检验结论起）：生产经营者封存、暂停、召回、整改，监管部门核查处置完毕",
       source=f"{SAMPLING}第四十条（生产经营者封存、暂停生产经营、通知、召回、整改并报告）及第五章核查处置的时限规定；"
              "条款号与天数待与公布文本核对",
       confidence="U")

define("food.designation_criteria", {
    "bright_kitchen": [
        {"code": "visible", "label": "后厨加工操作区域通过透明玻璃或视频向消费者展示"},
        {"code": "video", "label": "视频监控覆盖粗加工、切配、烹饪、餐具清洗消毒等关键环节并保存"},
        {"code": "online", "label": "视频接入监管平台或互联网供公众查看"},
        {"code": "grade", "label": "量化分级动态等级不低于良好"},
    ],
    "demo_shop": [
        {"code": "grade_a", "label": "年度等级为 A 级"},
        {"code": "bright", "label": "已实施明厨亮灶"},
        {"code": "manager", "label": "配备食品安全管理人员并经考核合格"},
        {"code": "no_case", "label": "近两年无食品安全违法行为被行政处罚"},
        {"code": "self_check", "label": "建立并落实食品安全自查制度"},
    ],
}, "明厨亮灶、示范店评审标准（每项须符合方可认定）",
    source="《餐饮服务明厨亮灶工作指导意见》（原国家食品药品监督管理总局，2018 年）；"
           "《餐饮服务食品安全示范店建设标准》（河南省，条款待核）；本平台默认项目", confidence="U")
define("food.designation_validity_years", {"bright_kitchen": 3, "demo_shop": 3},
       "明厨亮灶、示范店认定有效期（年），到期复审", source="本平台默认值，由市局按本地创建方案设定",
       confidence="U")

RECALL = "《食品召回管理办法》（原国家食品药品监督管理总局令第 12 号，2015 年；2020 年修订）"

define("food.disposal_days", 90,
       "不合格食品核查处置期限（日）：自启动核查处置（收到不合格检验结论并送达，或受理食品投诉举报）之日起",
       source=f"{SAMPLING}第六章核查处置：县级以上地方市场监督管理部门应当在 90 日内完成不合格食品的核查处置工作，"
              "需要延长的书面报负责人批准（规定 90 日的条款号待与公布文本核对，核对前按本平台默认值对待）；期间最后一日为法定"
              "休假日的，以休假日结束的次日为最后一日（《中华人民共和国民法典》第二百零三条）",
       confidence="S")
define("food.disposal_steps", [
    {"code": "seal", "label": "封存不合格（不安全）食品", "required": True},
    {"code": "suspend", "label": "暂停生产、经营不合格食品", "required": True},
    {"code": "notify", "label": "通知相关生产经营者和消费者", "required": True},
    {"code": "cause", "label": "排查不合格原因并整改", "required": True},
    {"code": "report", "label": "向住所地市场监督管理部门报告处理情况", "required": True},
    {"code": "destroy", "label": "对召回或封存的食品采取无害化处理、销毁等处置措施", "required": False},
], "食品生产经营者的风险控制措施（逐项登记完成日期；必办项未完成的不能办结）",
    source=f"{SAMPLING}第四十条（封存、暂停生产经营、通知、召回、排查原因整改、报告）；《中华人民共和国食品安全法》"
           f"第六十三条第一款至第三款；{RECALL}第四章（召回食品的处置）", confidence="S")
define("food.recall_start_hours", {"1": 24, "2": 48, "3": 72},
       "启动召回期限（小时，自知悉食品安全风险起）：一级、二级、三级召回",
       source=f"{RECALL}第十三条（一级：食用后已经或者可能导致严重健康损害甚至死亡的，24 小时内启动；二级：可能导致"
              "一般健康损害的，48 小时内；三级：标签、标识存在虚假标注的，72 小时内），并向县级以上地方监督管理部门"
              "报告召回计划",
       confidence="S")
define("food.recall_complete_workdays", {"1": 10, "2": 20, "3": 30},
       "完成召回期限（工作日，自召回公告发布之日起）：一级、二级、三级召回",
       source=f"{RECALL}第十七条（实施一级召回的，自公告发布之日起 10 个工作日内完成；二级 20 个工作日；三级 30 个"
              "工作日；情况复杂的，经监督管理部门同意可以适当延长并公布）；条款号待与公布文本核对（二手整理的时限表列为"
              "第十八条第一款至第三款）",
       confidence="S")

define("food.creation_targets", {"food.catering_graded": 100, "food.bright_kitchen_rate": 80,
                                 "food.sampling_done_rate": 100, "food.sampling_qualified_rate": 98,
                                 "food.disposals_on_time": 100},
       "食品安全示范城市（县）创建指标目标值（百分比；未列出的指标只显示数值）",
       source="《国家食品安全示范城市评价与管理办法》及其评价细则（国务院食品安全委员会办公室）：餐饮服务食品安全"
              "量化分级管理全覆盖、监督抽检任务完成、不合格食品核查处置率 100% 等；各项数值为本平台默认值，"
              "由市局按本省创建方案设定",
       confidence="U")
