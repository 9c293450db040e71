"""Date fields render ISO values: an <input type="date"> silently drops 2026/12/02 (the zh-hans format), and a
required date left empty blocks the accept form in the browser."""

import datetime as dt

import pytest

from .factories import business, complaint

pytestmark = pytest.mark.django_db


def test_the_accept_form_prefills_todays_date_in_iso(org, xh_handler, login):
    c, _ = complaint(entity=business(), received_on=dt.date.today())
    body = login(xh_handler).get(f"/workbench/complaints/{c.number}/").content.decode()
    assert f'name="accept-on" value="{dt.date.today().isoformat()}"' in body
