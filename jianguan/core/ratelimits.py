"""Per-address limits on the public endpoints that had none (#14 finding 8), in one table.

Counts live in Django's cache. With several server processes that cache must be shared (redis, memcached, or a
file cache on one host: ``JIANGUAN_CACHE_URL``), or each process counts on its own and the real limit is the rule
times the number of processes; ``jianguan serve`` refuses that combination.
"""

from __future__ import annotations

from django_ratelimit.core import is_ratelimited

from .rules import rule
from .security import client_ip

#: (path prefix, counter group, rule holding the rate). The first matching prefix applies.
PUBLIC_LIMITS: tuple[tuple[str, str, str], ...] = (
    ("/api/v1/public/", "public.api", "portal.open_api_rate"),
    ("/api/v1/startup/name-check", "public.name_check", "portal.search_rate"),
    ("/complaints/stats/", "public.complaint_stats", "portal.search_rate"),
    ("/inspections/results/", "public.inspection_results", "portal.search_rate"),
    ("/penalties/", "public.penalties", "portal.open_api_rate"),
)


def _ip(group, request) -> str:
    return client_ip(request)


class PublicRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        for prefix, group, rule_key in PUBLIC_LIMITS:
            if path.startswith(prefix):
                rate = rule(rule_key)
                if rate and is_ratelimited(request, group=group, key=_ip, rate=rate, increment=True):
                    from .views import rate_limited

                    return rate_limited(request)
                break
        return self.get_response(request)


def cache_is_per_process() -> bool:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
