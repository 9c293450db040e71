"""Rules as code: every deadline, ratio and threshold the software applies, in one place.

Each rule has a code default (with its source and confidence mark from docs/domain) and may be overridden by the
bureau in the ``RuleValue`` table from an effective date, without a release. Read a rule with ``rule("key", on=date)``.
Apps register their rules here so that the administrator sees one list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone


@dataclass(frozen=True)
class RuleDef:
    key: str
    default: Any
    label: str
    source: str = ""
    confidence: str = "U"  # C confirmed, S secondary, U unconfirmed


RULES: dict[str, RuleDef] = {}


def define(key: str, default: Any, label: str, source: str = "", confidence: str = "U") -> RuleDef:
    """Declare a rule with its default. Called at import time by each app's ``rules`` section."""
    rd = RuleDef(key, default, label, source, confidence)
    RULES[key] = rd
    return rd


_CACHE_KEY = "jianguan:rules:v1"


def _table() -> dict[str, list[tuple[dt.date, Any]]]:
    data = cache.get(_CACHE_KEY)
    if data is None:
        from .models import RuleValue

        data = {}
        for key, value, since in RuleValue.objects.order_by("key", "-effective_from").values_list(
            "key", "value", "effective_from"
        ):
            data.setdefault(key, []).append((since, value))
        cache.set(_CACHE_KEY, data, 300)
    return data


def rule(key: str, on: dt.date | None = None) -> Any:
    """The value of rule ``key`` in force on ``on`` (default today)."""
    if key not in RULES:
        raise KeyError(f"unknown rule {key!r}: declare it with core.rules.define()")
    on = on or timezone.localdate()
    for since, value in _table().get(key, ()):
        if since <= on:
            return value
    return RULES[key].default


def timeline(key: str) -> Callable[[dt.date], Any]:
    """``rule(key, on=…)`` for many dates, the table read once: ``value_on = timeline(key)`` before a loop over
    thousands of rows, ``value_on(row_date)`` in it (``rule`` reads the cache on every call)."""
    if key not in RULES:
        raise KeyError(f"unknown rule {key!r}: declare it with core.rules.define()")
    overrides, default = tuple(_table().get(key, ())), RULES[key].default

    def value_on(on: dt.date) -> Any:
        for since, value in overrides:
            if since <= on:
                return value
        return default

    return value_on


def _invalidate(**kwargs) -> None:
    cache.delete(_CACHE_KEY)


def connect_signals() -> None:
    from .models import RuleValue

    post_save.connect(_invalidate, sender=RuleValue, dispatch_uid="rules-save")
    post_delete.connect(_invalidate, sender=RuleValue, dispatch_uid="rules-delete")


# --- rules of the foundation --------------------------------------------------------------------------------------
define("security.api_token_days", 365, "API 令牌默认有效期（天）", source="本平台设定", confidence="U")
define("core.audit_retention_days", 180, "审计日志最短保存期限（天，不得少于 180）",
       "《中华人民共和国网络安全法》第二十一条第（三）项：采取监测、记录网络运行状态、网络安全事件的技术措施，"
       "并按照规定留存相关的网络日志不少于六个月", confidence="C")
define("core.sms_sweep_minutes", 5,
       "每日作业发送待发短信（批量通知，如七月年报列异的告知短信）的时长上限（分钟；到时停止，余下的由下次作业或 jianguan sms send 继续发送；0 为不限）",
       source="本平台默认值：全省规模七月列异一次产生约二百万条短信，按短信网关的速度另行发送，不占每日作业的时间", confidence="U")
define("core.sweep_minutes", 10,
       "每日作业的时间窗口（分钟，自作业开始计）：可顺延的工作（批量短信、公示信息预先重建）排在最后，只在窗口剩余的时间内运行，"
       "到时停止，余下的由 jianguan sms send、jianguan publicrecords（定时任务）或次日作业继续；作出决定、公示、统计的作业不受此限；0 为不限",
       source="本平台默认值：全省规模（一千万户）七月年报列异当日须在十分钟内完成；待更新的公示信息在被查询时即时重建，不会显示旧内容",
       confidence="U")
define("core.sweep_workers", 2,
       "每日作业的并行进程数（仅 PostgreSQL）：大于 1 时，信用风险分类等可独立运行的作业在单独的进程中与其后的作业同时运行",
       source="本平台默认值：全省规模下风险分类全量重算需数分钟，与公示信息重建、开放数据包生成同时运行，两核服务器上每日作业可缩短数分钟",
       confidence="U")
define("core.aggregate_live_ms", 1000,
       "统计表（年报报送率、风险分类分布等）计算耗时低于此值（毫秒）的，每次打开页面实时统计；高于此值的，页面读取定时任务保存的统计快照并标明统计时间",
       source="本平台默认值", confidence="U")
define("core.aggregate_max_age_minutes", 1560,
       "统计快照的最长使用时间（分钟，默认 26 小时：每日定时任务之间留出余量）；超过即在打开页面时重新统计",
       source="本平台默认值", confidence="U")
