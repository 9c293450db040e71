"""The gunicorn worker ``jianguan serve`` runs: gunicorn's threaded worker, with a graceful stop that drops nothing.

On SIGTERM — which a graceful reload (HUP) and a scale-down send to the old workers — gunicorn's ``gthread`` worker
leaves its loop at once. A connection it had already accepted, but whose request had not yet been read (it waits
in the worker's poller until it is readable), is then closed unanswered: the client sees "connection reset" or
"remote end closed connection" (gunicorn issues #3038, #3394; measured here: requests failing right after a HUP).
The sync worker has no such gap (it reads each connection it accepts at once), but answers one connection at a
time and closes it after each answer.

``DrainingThreadWorker`` stops by draining instead: on SIGTERM it stops accepting (the listening sockets leave its
poller; the new workers accept from the same sockets), goes on answering the connections it holds until none is
waiting for its first request and no request is in flight — at most ``keepalive`` seconds, at least one — and
then stops as gunicorn's worker does, closing the idle keep-alive connections. SIGQUIT and SIGINT still stop at
once.
"""

from __future__ import annotations

import time

from gunicorn.workers.gthread import ThreadWorker


class DrainingThreadWorker(ThreadWorker):
    draining_since: float | None = None

    def handle_exit(self, sig, frame):
        # In a signal handler: only note it; the worker's loop does the rest between two polls.
        if self.draining_since is None:
            self.draining_since = time.monotonic()

    def _stop_accepting(self) -> None:
        with self._lock:
            for sock in self.sockets:
                try:
                    self.poller.unregister(sock)
                except (KeyError, ValueError):
                    pass  # already done

    def is_parent_alive(self):
        # Called by ThreadWorker.run once per turn of its loop: returning False ends the loop, which then stops the
        # thread pool, closes the poller with the idle keep-alive connections, and waits for requests in flight.
        if self.draining_since is None:
            return super().is_parent_alive()
        self._stop_accepting()
        with self._lock:
            held = self.nr_conns - len(self._keep)  # open connections not idle in keep-alive
        if (held == 0 and not self.futures) or time.monotonic() - self.draining_since >= max(1, self.cfg.keepalive):
            self.alive = False
            return False
        return super().is_parent_alive()
