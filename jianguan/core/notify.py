"""Outgoing messages to people: SMS and e-mail, through pluggable backends.

The SMS backend is named by the setting ``JIANGUAN_SMS_BACKEND`` (a dotted path; default the console). A bureau
plugs in its SMS gateway by writing a class with ``send(phone, message)``. E-mail goes through Django's mail
framework, whose backend is ``EMAIL_BACKEND``. Call these from ``transaction.on_commit`` so that nothing is sent for
a write that rolls back.
"""

from __future__ import annotations

import abc
import datetime as dt
import logging
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("jianguan.notify")
DEFAULT_SMS_BACKEND = "jianguan.core.notify.ConsoleSMSBackend"


class BaseSMSBackend(abc.ABC):
    """An SMS gateway: a bureau plugs in its provider's client by subclassing this (setting JIANGUAN_SMS_BACKEND)."""

    @abc.abstractmethod
    def send(self, phone: str, message: str) -> None:
        """Deliver ``message`` to ``phone``; raise on failure so the caller can log and retry."""


class ConsoleSMSBackend(BaseSMSBackend):
    """Writes each message to standard output: for development, where no SMS gateway exists."""

    def send(self, phone: str, message: str) -> None:
        sys.stdout.write(f"[短信] {phone}: {message}\n")
        sys.stdout.flush()


class FileSMSBackend(BaseSMSBackend):
    """Appends each message to ``var/outbox/sms-YYYY-MM-DD.txt`` (or ``JIANGUAN_SMS_OUTBOX``)."""

    _lock = threading.Lock()

    def directory(self) -> Path:
        default = Path(getattr(settings, "VAR_DIR", Path("var"))) / "outbox"
        return Path(getattr(settings, "JIANGUAN_SMS_OUTBOX", default))

    def send(self, phone: str, message: str) -> None:
        folder = self.directory()
        folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now().astimezone()
        with self._lock, (folder / f"sms-{now:%Y-%m-%d}.txt").open("a", encoding="utf-8") as fh:
            fh.write(f"{now.isoformat(timespec='seconds')}\t{phone}\t{message}\n")


class MemorySMSBackend(BaseSMSBackend):
    """Keeps messages in ``MemorySMSBackend.outbox`` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, message: str) -> None:
        self.outbox.append((phone, message))


class CountingFileSMSBackend(FileSMSBackend):
    """A file outbox that counts what it wrote (``jianguan demo``: one summary line instead of thousands)."""

    def __init__(self) -> None:
        self.sent = 0

    def send(self, phone: str, message: str) -> None:
        super().send(phone, message)
        self.sent += 1

    def path(self) -> Path:
        return self.directory() / f"sms-{dt.datetime.now().astimezone():%Y-%m-%d}.txt"


_redirect: BaseSMSBackend | None = None


@contextmanager
def sms_redirected(backend: BaseSMSBackend) -> Iterator[BaseSMSBackend]:
    """Send every SMS of the block (in this process) through ``backend`` instead of the configured one."""
    global _redirect
    previous, _redirect = _redirect, backend
    try:
        yield backend
    finally:
        _redirect = previous


def sms_backend() -> BaseSMSBackend:
    if _redirect is not None:
        return _redirect
    path = getattr(settings, "JIANGUAN_SMS_BACKEND", DEFAULT_SMS_BACKEND)
    return import_string(path)()


def send_sms(phone: str, message: str) -> None:
    """Send one SMS; a failing gateway is logged, not raised (the caller's write has already committed)."""
    try:
        sms_backend().send(phone, message)
    except Exception:
        logger.exception("SMS to %s failed", phone[:3] + "****" + phone[-4:])


#: Up to this many texts queued in one transaction go out as soon as it commits; a larger batch waits for
#: ``drain`` (``jianguan sms send``, the daily sweep), so that the act that queued it never waits on the gateway.
SEND_AT_COMMIT = 100
#: A text the gateway refused this many times is left in the outbox with its last error (for an administrator).
MAX_ATTEMPTS = 5
DRAIN_CHUNK = 500


def queue_sms(messages: Iterable[tuple[str, str]], *, source: str) -> int:
    """Queue each (phone, text) in the caller's transaction (``SmsOutbox``; none without a phone). Nothing is sent
    for a transaction that rolls back, and nothing committed is lost if the process stops before sending: a batch of
    at most ``SEND_AT_COMMIT`` is sent when the transaction commits, a larger one by the next ``drain``. Returns how
    many were queued."""
    from django.db import transaction

    from . import bulk
    from .models import SmsOutbox

    rows = [SmsOutbox(phone=phone, message=text, source=source[:40]) for phone, text in messages if phone]
    if not rows:
        return 0
    bulk.create(rows)
    if len(rows) <= SEND_AT_COMMIT:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: drain(ids=ids))
    return len(rows)


def drain(*, ids: list[int] | None = None, seconds: float | None = None, limit: int | None = None) -> dict:
    """Send queued texts, oldest first, ``DRAIN_CHUNK`` per transaction: each chunk is claimed (``FOR UPDATE SKIP
    LOCKED`` on PostgreSQL, so two drains side by side never send one text twice), sent, and marked sent; a text the
    gateway refuses keeps its place with the error and is tried again by a later drain, up to ``MAX_ATTEMPTS``.
    ``seconds``/``limit``: stop after the chunk that passes them. Returns sent, failed and left (still due)."""
    import time

    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from .models import SmsOutbox

    started, sent, failed = time.monotonic(), 0, 0
    due = SmsOutbox.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    if ids is not None:
        due = due.filter(pk__in=ids)
    backend = sms_backend()
    last = 0
    while True:
        with transaction.atomic():
            chunk = list(due.filter(pk__gt=last).select_for_update(skip_locked=True).order_by("pk")[:DRAIN_CHUNK])
            if not chunk:
                break
            last = chunk[-1].pk
            ok, errors = [], []
            for row in chunk:
                try:
                    backend.send(row.phone, row.message)
                except Exception as exc:  # the gateway's failure is the text's, not the drain's
                    errors.append((row.pk, (str(exc) or exc.__class__.__name__)[:200]))
                    logger.warning("SMS #%s failed: %s", row.pk, errors[-1][1])
                else:
                    ok.append(row.pk)
            now = timezone.now()
            SmsOutbox.objects.filter(pk__in=ok).update(sent_at=now, attempts=F("attempts") + 1)
            for pk, error in errors:
                SmsOutbox.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=error)
        sent += len(ok)
        failed += len(errors)
        if (seconds is not None and time.monotonic() - started >= seconds) or (limit is not None and sent >= limit):
            break
    return {"sent": sent, "failed": failed, "left": due.count()}


def send_email(to: list[str] | str, subject: str, body: str) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("e-mail to %d recipient(s) failed", len(recipients))


def notify_staff(items, *, source: str) -> list:
    """Tell members of staff: ``items`` are (user, message, link). Each becomes an in-app notification (the bell)
    in the caller's transaction, and an SMS to the user's phone once it commits (nothing is sent for a write that
    rolls back). Returns the notifications."""
    from django.db import transaction

    from .models import Notification

    rows = []
    for user, message, link in items:
        phone = getattr(getattr(user, "profile", None), "phone", "")
        rows.append(Notification(recipient=user, message=message[:300], link=link or "", source=source,
                                 sms_sent=bool(phone)))
    Notification.objects.bulk_create(rows)
    sms = [(getattr(getattr(user, "profile", None), "phone", ""), message) for user, message, _ in items]
    sms = [(phone, message) for phone, message in sms if phone]
    if sms:
        transaction.on_commit(lambda: [send_sms(phone, message) for phone, message in sms])
    return rows
