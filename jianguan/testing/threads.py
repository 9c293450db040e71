"""Concurrency tests: run callables in threads that start together, each with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import close_old_connections, connection


def run_together(fns: list[Callable], timeout: float = 120) -> tuple[list, list[BaseException]]:
    """Start every ``fn`` at the same moment (a barrier) in its own thread; return their results in order and the
    exceptions raised. Each thread closes its connection, so the test database can be dropped afterwards."""
    barrier = threading.Barrier(len(fns))
    results, errors = [None] * len(fns), []

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results, errors
