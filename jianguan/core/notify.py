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
from collections.abc import Iterator
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
