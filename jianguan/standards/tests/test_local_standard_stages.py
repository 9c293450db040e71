import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.standards import services
from jianguan.standards.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(bz_officer):
    return services.local_standard_create(actor=bz_officer, title="鲁山香菇栽培技术规程", drafter="鲁山县食用菌研究所",
                                          proposed_on=dt.date(2026, 1, 5))


def test_a_standard_goes_through_every_stage_to_its_number(draft, bz_officer):
    s = services.local_standard_advance(actor=bz_officer, standard=draft, to="drafting", on=dt.date(2026, 1, 20))
    s = services.local_standard_advance(actor=bz_officer, standard=s, to="comments", on=dt.date(2026, 3, 2),
                                        comments_until=dt.date(2026, 4, 1))
    with pytest.raises(ValidationFailed, match="截止后方可技术审查"):
        services.local_standard_advance(actor=bz_officer, standard=s, to="review", on=dt.date(2026, 3, 20),
                                        comments_received=3)
    s = services.local_standard_advance(actor=bz_officer, standard=s, to="review", on=dt.date(2026, 4, 10),
                                        comments_received=12)
    s = services.local_standard_advance(actor=bz_officer, standard=s, to="approval", on=dt.date(2026, 4, 20))
    with pytest.raises(ValidationFailed, match="地方标准"):
        services.local_standard_advance(actor=bz_officer, standard=s, to="published", on=dt.date(2026, 5, 6),
                                        number="GB/T 1-2026")
    s = services.local_standard_advance(actor=bz_officer, standard=s, to="published", on=dt.date(2026, 5, 6),
                                        number="DB4104/T 3-2026")
    assert (s.stage, s.number) == (Stage.PUBLISHED, "DB4104/T 3-2026")


def test_comment_period_shorter_than_thirty_days_is_refused(draft, bz_officer):
    s = services.local_standard_advance(actor=bz_officer, standard=draft, to="drafting", on=dt.date(2026, 1, 20))
    with pytest.raises(ValidationFailed, match="不少于 30 日") as exc:
        services.local_standard_advance(actor=bz_officer, standard=s, to="comments", on=dt.date(2026, 3, 2),
                                        comments_until=dt.date(2026, 3, 31))
    assert exc.value.field == "comments_until"


def test_skipping_a_stage_or_repeating_one_is_refused(draft, bz_officer):
    with pytest.raises(TransitionNotAllowed, match="下一阶段应为起草"):
        services.local_standard_advance(actor=bz_officer, standard=draft, to="comments", on=dt.date(2026, 2, 1),
                                        comments_until=dt.date(2026, 4, 1))
    services.local_standard_advance(actor=bz_officer, standard=draft, to="drafting", on=dt.date(2026, 1, 20))
    with pytest.raises(TransitionNotAllowed):  # the second click of the same button
        services.local_standard_advance(actor=bz_officer, standard=draft, to="drafting", on=dt.date(2026, 1, 20))


def test_workbench_page_moves_the_stage_and_shows_errors(draft, bz_officer, login):
    client = login(bz_officer)
    url = f"/workbench/standards/local/{draft.pk}/"
    client.post(url, {"to": "drafting", "on": "2026-01-20"})
    response = client.post(url, {"to": "comments", "on": "2026-03-02", "comments_until": "2026-03-10"})
    assert "不少于 30 日" in response.content.decode()
    draft.refresh_from_db()
    assert draft.stage == Stage.DRAFTING
