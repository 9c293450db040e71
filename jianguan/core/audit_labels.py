"""The audit log in words: an action code (``enforcement.case.filed``) as 行政执法 · 案件 · 立案, a changed field by
its verbose name, a value as text. Codes are built from the app, the object and the verb; the app's and the model's
own verbose names are used where they exist, and a code no table knows is shown as it is."""

from __future__ import annotations

import json
from functools import lru_cache

from django.apps import apps

VERBS = {
    "created": "新建", "create": "新建", "added": "添加", "updated": "修改", "changed": "变更", "deleted": "删除",
    "removed": "移出", "entered": "列入", "listed": "列入", "filed": "立案", "received": "登记收到",
    "accepted": "受理", "refused": "不予受理", "rejected": "不予核准", "approved": "批准", "returned": "退回",
    "submitted": "提交", "closed": "结案/办结", "agreed": "调解成功", "terminated": "终止调解",
    "transferred": "转办", "recorded": "登记", "checking": "开始核查", "dismissed": "核查未发现违法",
    "lead": "转为执法线索", "reporter_told": "告知举报人", "custody": "样品流转", "sampled": "抽样",
    "tested": "检验结果", "published": "公示", "investigated": "调查终结", "review_submitted": "送法制审核",
    "review_approved": "法制审核通过", "review_returned": "法制审核退回", "notified": "事先告知",
    "served": "送达", "decided": "作出决定", "party_replied": "当事人陈述申辩", "issued": "制发",
    "scheduled": "安排公示", "rectified": "整改完成", "committed": "承诺（随机种子）", "drawn": "抽取",
    "paid": "缴纳罚款", "proposed": "提请", "applied": "申请", "exported": "导出", "loaded": "载入演示数据",
    "shareholders_set": "设置股东", "hearing_requested": "申请听证", "simplified": "当场处罚",
    "not_filed": "不予立案", "paused": "期限中止", "resumed": "期限恢复", "concluded": "作出检查结论",
    "confirmed": "确认", "registered": "设立登记", "seeded": "生成", "auto_approved": "自动核准",
    "started": "启动", "ordered": "责令公示", "dumped": "生成开放数据", "posted": "回复", "recomputed": "重新计算",
    "routed": "分派", "notice_started": "开始公告", "objection": "提出异议", "retested": "复检",
    "extended": "延长", "withdrawn": "撤回", "restored": "恢复", "corrected": "更正", "login": "登录",
    "logout": "退出", "failed": "失败", "read": "查看", "personal_read": "查看个人信息", "verified": "校验",
    "claimed": "领办", "assigned": "分派", "cancelled": "注销", "renewed": "延续", "imported": "导入",
    "mediation": "调解", "decided_filing": "立案审批", "requested": "申请", "granted": "准予", "revoked": "吊销",
    "others_ended": "结束其他会话", "rotated": "密钥轮换（重新加密）",
    "expired": "到期", "computed": "计算", "raised": "发出预警", "ended": "结束", "stale_ended": "停报结束",
    "done": "完成", "assessed": "评价", "in": "入库", "out": "出库", "resample": "复查抽检", "opened": "启动",
    "step": "处置措施登记", "overdue": "逾期", "recall_started": "启动召回", "recall_completed": "完成召回",
    "gradings_loaded": "载入演示数据（量化分级）", "licences_loaded": "载入演示数据（食品经营许可）",
    "smalls_loaded": "载入演示数据（三小登记）", "objects_loaded": "载入演示数据（监管对象）",
    "focus_loaded": "载入演示数据（重点品种）", "events_loaded": "载入演示数据（不良反应报告）",
    "outlets_loaded": "载入演示数据（监测点）", "reports_loaded": "载入演示数据（价格报送）",
    "designations_loaded": "载入演示数据（明厨亮灶和示范店）", "recall_ordered": "责令召回",
}
NOUNS = {
    "list": "名录", "report": "举报/年报", "instant": "即时信息", "serious": "严重违法失信名单", "repair": "信用修复",
    "sweep": "每日任务", "clock": "期限", "demo": "演示数据", "schedules": "检验计划", "trace": "追溯",
    "result": "检查结果", "proposal": "列入经营异常名录建议", "opendata": "开放数据", "reply": "留言回复",
    "audit": "审计日志", "application": "企业开办申请", "entity": "市场主体", "licence": "许可证",
    "auth": "登录", "user": "用户", "token": "访问令牌", "session": "会话", "crypto": "个人信息加密",
}
#: nouns whose word depends on the app (``prices.report`` is a price report, not a 举报/年报); looked up first
APP_NOUNS = {
    "food.small": "三小登记", "food.grading": "量化分级检查", "food.annual": "年度等级", "food.disposal": "核查处置",
    "food.recall": "食品召回", "food.indicator": "创建指标",
    "drugs.object": "药品监管对象", "drugs.focus": "重点监管品种", "drugs.event": "不良反应/不良事件报告",
    "prices.report": "价格报送", "prices.alert": "价格异常预警", "coldchain.task": "处置任务",
}


@lru_cache(maxsize=512)
def _app_label(app: str) -> str:
    try:
        return str(apps.get_app_config(app).verbose_name)
    except LookupError:
        return {"list": "列表", "auth": "登录"}.get(app, app)


@lru_cache(maxsize=1024)
def _model(app: str, noun: str):
    try:
        return apps.get_model(app, noun)
    except (LookupError, ValueError):
        return None


@lru_cache(maxsize=2048)
def action_label(code: str) -> str:
    """``enforcement.case.filed`` → 行政执法 · 案件 · 立案; ``list.exported`` → 列表 · 导出."""
    parts = code.split(".")
    if len(parts) < 2:
        return code
    app, verb = parts[0], parts[-1]
    words = [_app_label(app)]
    for noun in parts[1:-1]:
        model = _model(app, noun)
        words.append(APP_NOUNS.get(f"{app}.{noun}") or NOUNS.get(noun)
                     or (str(model._meta.verbose_name) if model else noun))
    words.append(VERBS.get(verb, verb))
    return " · ".join(w for w in words if w)


@lru_cache(maxsize=1024)
def field_label(object_type: str, name: str) -> str:
    """A changed field by the model's verbose name (``object_type`` is ``app.model``), else its name."""
    if "." in object_type:
        model = _model(*object_type.split(".", 1))
        if model is not None:
            try:
                return str(model._meta.get_field(name).verbose_name)
            except Exception:  # not a field (a computed key of the entry): its name
                pass
    return {"list": "列表", "rows": "行数", "sort": "排序", "filters": "筛选条件", "filter": "筛选条件",
            "reason": "理由", "note": "备注"}.get(name, name)


def value_text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:300]
    return str(value)[:300]


def diff(entry) -> list[dict]:
    """The entry's changes as rows: field label, before, after (text); a pair [before, after] or a bare value."""
    rows = []
    for name, pair in (entry.changes or {}).items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        rows.append({"field": field_label(entry.object_type or "", name), "before": value_text(before),
                     "after": value_text(after)})
    return rows
