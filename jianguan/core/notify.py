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

    def send_many(self, messages: list[tuple[str, str]]) -> list[str | None]:
        """Deliver each (phone, message) of a batch (``drain``: up to ``DRAIN_CHUNK``); returns, in order, ``None``
        for each sent and the error's text for each refused. This one calls ``send`` for each; a gateway with a
        batch API (or the file backend, which opens its file once) overrides it."""
        errors: list[str | None] = []
        for phone, message in messages:
            try:
                self.send(phone, message)
            except Exception as exc:  # the gateway's failure is the text's, not the batch's
                errors.append((str(exc) or exc.__class__.__name__)[:200])
            else:
                errors.append(None)
        return errors


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
        self.send_many([(phone, message)])

    def send_many(self, messages: list[tuple[str, str]]) -> list[str | None]:
        # one open and one write for the batch: opening the file per text was most of the drain's time at
        # 1,700,000 texts (docs/scale.md)
        folder = self.directory()
        folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now().astimezone()
        stamp = now.isoformat(timespec="seconds")
        text = "".join(f"{stamp}\t{phone}\t{message}\n" for phone, message in messages)
        with self._lock, (folder / f"sms-{now:%Y-%m-%d}.txt").open("a", encoding="utf-8") as fh:
            fh.write(text)
        return [None] * len(messages)


class MemorySMSBackend(BaseSMSBackend):
    """Keeps messages in ``MemorySMSBackend.outbox`` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, message: str) -> None:
        self.outbox.append((phone, message))


class CountingFileSMSBackend(FileSMSBackend):
    """A file outbox that counts what it wrote (``jianguan demo``: one summary line instead of thousands)."""

    def __init__(self) -> None:
        self.sent = 0

    def send_many(self, messages: list[tuple[str, str]]) -> list[str | None]:
        errors = super().send_many(messages)
        self.sent += len(messages)
        return errors

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
DRAIN_CHUNK = 1000


def queue_sms(messages: Iterable[tuple[str, str]], *, source: str, encrypted: bool = False) -> int:
    """Queue each (phone, text) in the caller's transaction (``SmsOutbox``; none without a phone). Nothing is sent
    for a transaction that rolls back, and nothing committed is lost if the process stops before sending: a batch of
    at most ``SEND_AT_COMMIT`` is sent when the transaction commits, a larger one by the next ``drain``. Returns how
    many were queued.

    ``encrypted``: the phones are given as stored (``crypto.encrypt``'s form, e.g. read from an entity's encrypted
    column without decrypting it) and are queued as they are — the July listing's two million texts are neither
    decrypted nor encrypted again. The rows are written without model objects (COPY on PostgreSQL)."""
    from django.db import transaction

    from jianguan.registry import bulk as rows_bulk

    from . import crypto
    from .models import SmsOutbox

    queued = [(phone, text) for phone, text in messages if phone]
    if not queued:
        return 0
    if not encrypted:
        ring = crypto.keyring()
        queued = [(crypto.encrypt(phone, ring), text) for phone, text in queued]
    label = source[:40]
    with transaction.atomic(savepoint=False):
        if len(queued) <= SEND_AT_COMMIT:
            ids = rows_bulk.allocate_ids(SmsOutbox, len(queued))
            rows_bulk.insert(SmsOutbox, ["id", "phone", "message", "source"],
                             [(pk, phone, text, label) for pk, (phone, text) in zip(ids, queued, strict=True)],
                             fill_defaults=True)
            transaction.on_commit(lambda: drain(ids=ids))
        else:
            rows_bulk.insert(SmsOutbox, ["phone", "message", "source"],
                             [(phone, text, label) for phone, text in queued], fill_defaults=True)
    return len(queued)


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
            chunk = list(due.filter(pk__gt=last).select_for_update(skip_locked=True).order_by("pk")
                         .values_list("pk", "phone", "message")[:DRAIN_CHUNK])
            if not chunk:
                break
            last = chunk[-1][0]
            ok, errors = [], []
            try:
                results = backend.send_many([(phone, message) for _pk, phone, message in chunk])
            except Exception as exc:  # the whole batch refused (the gateway is down): each text keeps its place
                results = [(str(exc) or exc.__class__.__name__)[:200]] * len(chunk)
            for (pk, _phone, _message), error in zip(chunk, results, strict=True):
                if error is None:
                    ok.append(pk)
                else:
                    errors.append((pk, error))
                    logger.warning("SMS #%s failed: %s", pk, error)
            now = timezone.now()
            SmsOutbox.objects.filter(pk__in=ok).update(sent_at=now, attempts=F("attempts") + 1)
            for pk, error in errors:
                SmsOutbox.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=error)
        sent += len(ok)
        failed += len(errors)
        if (seconds is not None and time.monotonic() - started >= seconds) or (limit is not None and sent >= limit):
            break
    return {"sent": sent, "failed": failed, "left": due.count()}


def queued() -> int:
    """Texts still to be sent (not sent, not given up)."""
    from .models import SmsOutbox

    return SmsOutbox.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).count()


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
