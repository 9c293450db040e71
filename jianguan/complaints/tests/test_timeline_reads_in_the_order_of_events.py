"""The history of a complaint — on the staff page and the public tracking page — lists each step once, on the day
it happened and in that order (entered later, a September mediation still comes after the September receipt), and
names who acted in words, not an internal code such as "public"."""

import datetime as dt
import re

from jianguan.complaints import services

from .factories import business, complaint


def test_history_is_dated_by_the_step_and_names_the_actor(org, xh_handler, login):
    c, _code = complaint(entity=business(), received_on=dt.date(2026, 9, 17))
    c = services.complaint_accept(actor=xh_handler, complaint=c, on=dt.date(2026, 9, 18))
    services.mediation_record(actor=xh_handler, complaint=c, on=dt.date(2026, 9, 21), method="on_site",
                              participants="双方", content="现场调解")
    events = list(c.events.order_by("at", "id"))
    assert [e.action for e in events] == ["received", "accepted", "mediation"]
    assert [e.at.date() for e in events] == [dt.date(2026, 9, 17), dt.date(2026, 9, 18), dt.date(2026, 9, 21)]
    assert events[0].actor_label == "投诉举报人（网上提交）"
    body = login(xh_handler).get(f"/workbench/complaints/{c.number}/").content.decode()
    history = re.search(r'data-testid="history">(.*?)</ol>', body, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", history, re.S)
    assert len(items) == 3
    for item in items:  # one date per step (as read: the markup's datetime attribute aside)
        text = re.sub(r"<[^>]+>", "", item)
        assert len(re.findall(r"\d{4}-\d{2}-\d{2}", text)) == 1, text
    assert "— public" not in body
