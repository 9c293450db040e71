"""The samples of a draw are written in one statement (on PostgreSQL a JSON parameter unpacked by the server): each
one must hold exactly what the bundle drew and the model's defaults, as ``bulk_create`` would have stored them."""

import json

import pytest
from django.utils import timezone

from jianguan.sampling.models import Sample

from . import factories

pytestmark = pytest.mark.django_db


def test_each_drawn_sample_is_the_bundles_pick_with_the_defaults(org):
    actor = factories.supervisor()
    factories.producers(6)
    before = timezone.now()
    plan = factories.drawn_plan(actor, quotas={"410402": 4})
    bundle = json.loads(plan.__class__.objects.get(pk=plan.pk).bundle)
    stored = list(Sample.objects.filter(plan=plan).select_related("entity").order_by("number"))
    assert [(s.entity.uscc, s.stratum, s.ticket) for s in stored] == [
        (p["id"], p["stratum"], p["ticket"]) for p in bundle["selected"]]
    assert [s.number for s in stored] == [f"{plan.code}-{i:04d}" for i in range(1, len(stored) + 1)]
    for s in stored:
        assert s.unit_id == s.entity.unit_id and s.status == Sample.Status.DRAWN and s.pk is not None
        assert (s.sampler_signed, s.producer_signed, s.photo.name, s.product_name, s.produced_on) == (
            False, False, "", "", None)
        assert s.created_at >= before and s.resample_of_id is None and s.lead_id is None
