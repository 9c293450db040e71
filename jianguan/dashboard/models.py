"""The leadership dashboard keeps its aggregates here: one row per (scope, panel), with the time it was computed
and how long that took, so a page view reads a handful of rows instead of counting a million entities."""

from __future__ import annotations

from django.db import models


class Snapshot(models.Model):
    scope_key = models.CharField(max_length=64)
    panel = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    took_ms = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope_key", "panel"], name="dashboard_snapshot_once")]
        verbose_name = verbose_name_plural = "驾驶舱统计快照"
        permissions = [("view_dashboard", "查看领导驾驶舱")]

    def __str__(self) -> str:
        return f"{self.panel}@{self.scope_key} {self.computed_at:%Y-%m-%d %H:%M}"
