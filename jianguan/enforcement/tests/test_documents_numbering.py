"""Document numbers: per authority, kind and year, gap-free, never reused, stations in their bureau's series."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.enforcement import docrender, documents
from jianguan.enforcement.document_models import Document

from .docfixtures import make_case

INQUIRY = {"held_at": "2026年3月3日", "place": "询问室", "qa": "问：姓名？\n答：王五。"}


def _inquiry(case, actor, who, today=dt.date(2026, 3, 3)):
    return documents.document_issue(case=case, kind="inquiry", actor=actor, inputs={**INQUIRY, "interviewee": who},
                                    today=today)


def test_numbers_run_one_two_three_per_unit_kind_and_year(district_officer):
    case = make_case(officers=[district_officer])
    numbers = [_inquiry(case, district_officer, who).number for who in ("甲", "乙", "丙")]
    assert numbers == ["新市监询〔2026〕1号", "新市监询〔2026〕2号", "新市监询〔2026〕3号"]
    # another kind has its own series
    site = documents.document_issue(case=case, kind="site_inspection", actor=district_officer, today=dt.date(2026, 3, 3),
                                    inputs={"held_at": "3月3日", "place": "门店", "record": "检查情况"})
    assert site.number == "新市监检〔2026〕1号"


def test_a_new_year_starts_again_at_one(district_officer):
    case = make_case(officers=[district_officer])
    assert _inquiry(case, district_officer, "甲", dt.date(2026, 12, 31)).number == "新市监询〔2026〕1号"
    assert _inquiry(case, district_officer, "乙", dt.date(2027, 1, 4)).number == "新市监询〔2027〕1号"


def test_station_numbers_in_its_district_bureaus_series_other_district_its_own(district_officer, station_inspector,
                                                                              other_district_officer):
    district_case = make_case(unit="410402", officers=[district_officer])
    station_case = make_case(unit="41040201", officers=[district_officer])
    other_case = make_case(unit="410403", officers=[other_district_officer])
    first = _inquiry(district_case, district_officer, "甲")
    second = _inquiry(station_case, district_officer, "乙")
    other = _inquiry(other_case, other_district_officer, "丙")
    assert (first.number, second.number) == ("新市监询〔2026〕1号", "新市监询〔2026〕2号")
    assert other.number == "卫市监询〔2026〕1号"
    assert second.authority.code == "410402"


def test_city_bureau_prefix(city_leader, district_officer):
    case = make_case(unit="410400", officers=[district_officer])
    doc = _inquiry(case, district_officer, "甲")
    assert doc.number == "平市监询〔2026〕1号"
    assert "平顶山市市场监督管理局" in docrender.render_html("inquiry", {"authority": "平顶山市市场监督管理局"})


def test_failed_issue_gives_its_number_back(district_officer, monkeypatch):
    case = make_case(officers=[district_officer])
    _inquiry(case, district_officer, "甲")

    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(docrender, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        _inquiry(case, district_officer, "乙")
    monkeypatch.undo()
    assert _inquiry(case, district_officer, "乙").number == "新市监询〔2026〕2号"  # no gap


def test_correction_takes_a_new_number_and_the_old_one_is_never_reused(district_officer):
    case = make_case(officers=[district_officer])
    first = _inquiry(case, district_officer, "甲")
    corrected = documents.document_issue(case=case, kind="inquiry", actor=district_officer,
                                         inputs={**INQUIRY, "interviewee": "甲"}, correction_reason="笔录时间记错",
                                         today=dt.date(2026, 3, 3))
    first.refresh_from_db()
    assert corrected.number == "新市监询〔2026〕2号"
    assert corrected.corrects == first and not first.is_current
    nxt = _inquiry(case, district_officer, "乙")
    assert nxt.number == "新市监询〔2026〕3号"
    numbers = list(Document.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 3
