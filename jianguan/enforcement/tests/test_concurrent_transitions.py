"""Two officers acting on one case at once cannot both win: each transition locks the row and re-checks the state."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from jianguan.core.errors import TransitionNotAllowed
from jianguan.enforcement import services
from jianguan.enforcement.models import Case, LegalReview

from .factories import filed_case


def _conclude(case, actor):
    return services.investigation_conclude(actor=actor, case=case, report="调查终结", outcome="penalty",
                                           proposed_kinds=["fine"], proposed_fine=Decimal("20000"),
                                           goods_value=Decimal("10000"), on=dt.date(2026, 3, 20))


def test_a_stale_copy_loses(district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers)
    _conclude(case, district_officer)
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)  # both read 'investigated'
    services.review_submit(actor=officers[0], case=mine, on=dt.date(2026, 3, 21))
    with pytest.raises(TransitionNotAllowed):
        services.review_submit(actor=officers[1], case=theirs, on=dt.date(2026, 3, 21))
    assert LegalReview.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)")
def test_two_threads_one_wins(org, district_officer):
    from jianguan.core.roles import sync_roles

    from .factories import officer

    sync_roles()
    officers = [district_officer, officer("xh_officer2")]
    case = filed_case(actor=district_officer, officers=officers)
    _conclude(case, district_officer)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(user):
        from django.db import connection as conn

        try:
            barrier.wait()
            services.review_submit(actor=user, case=Case.objects.get(pk=case.pk), on=dt.date(2026, 3, 21))
            outcomes.append("won")
        except TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=submit, args=(u,)) for u in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "won"]
    assert LegalReview.objects.filter(case=case).count() == 1
