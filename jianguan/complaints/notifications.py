"""Messages to consumers, reporters and businesses about a complaint, through ``jianguan.core.notify``.

Always sent after the transaction commits: a write that rolls back tells nobody anything.
"""

from __future__ import annotations

from django.db import transaction

from jianguan.core import notify


def tell_person(complaint, text: str) -> None:
    """SMS (and e-mail when given) to the consumer or real-name reporter; nothing for an anonymous report."""
    phone, email = complaint.person_phone, complaint.person_email
    if complaint.anonymous or not (phone or email):
        return

    def send() -> None:
        if phone:
            notify.send_sms(phone, text)
        if email:
            notify.send_email(email, f"投诉举报 {complaint.number} 办理进度", text)

    transaction.on_commit(send)


def tell_business(complaint, text: str) -> None:
    """SMS to the business's registered phone, when the business is registered and has one."""
    entity = complaint.entity
    phone = getattr(entity, "phone", "") if entity is not None else ""
    if phone:
        transaction.on_commit(lambda: notify.send_sms(phone, text))
