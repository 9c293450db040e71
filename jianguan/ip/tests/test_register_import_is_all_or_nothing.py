"""Excel import of a register: every row or none, each problem named by row and column; export re-imports."""

import datetime as dt

import pytest

from jianguan.ip import services
from jianguan.ip.models import GIUser, IPEnterprise

from .xlsx import read, upload, xlsx

pytestmark = pytest.mark.django_db
HEADERS = ("地理标志名称", "使用人统一社会信用代码", "核准/备案日期", "公告/备案号")


@pytest.fixture
def baofeng(ip_officer):
    return services.gi_product_create(actor=ip_officer, name="宝丰酒", kind="product", registration_no="2008年第1号",
                                      holder="宝丰县人民政府", area=["410421"], approved_on=dt.date(2008, 1, 1))


def test_one_bad_row_imports_nothing_and_names_row_and_column(baofeng, ip_officer, entity_in, login):
    good1, good2, outside = entity_in("410421"), entity_in("410421"), entity_in("410425")
    data = xlsx([HEADERS, ("宝丰酒", good1.uscc, "2026-03-01", "A1"), ("宝丰酒", outside.uscc, "2026-03-02", "A2"),
                 ("宝丰酒", good2.uscc, "2026/3/3", "A3"), ("宝丰酒", good2.uscc, "2026-13-40", "A4")])
    response = login(ip_officer).post("/workbench/ip/gi_users/import/", {"file": upload(data)})
    assert response.status_code == 422
    errors = response.context["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {(3, "使用人统一社会信用代码"), (5, "核准/备案日期")}
    assert not GIUser.objects.exists()


def test_a_clean_file_imports_every_row(baofeng, ip_officer, entity_in, login):
    rows = [entity_in("410421") for _ in range(3)]
    data = xlsx([HEADERS[::-1]] + [("B", "2026-03-01", e.uscc, "宝丰酒") for e in rows])  # columns in any order
    response = login(ip_officer).post("/workbench/ip/gi_users/import/", {"file": upload(data)})
    assert response.status_code == 200
    assert response.context["created"] == 3
    assert GIUser.objects.count() == 3


def test_missing_required_column_is_named(ip_officer, login):
    data = xlsx([("企业统一社会信用代码", "认定年度"), ("91410402MA0000001X", 2026)])
    response = login(ip_officer).post("/workbench/ip/enterprises/import/", {"file": upload(data)})
    assert "认定类别" in {e["column"] for e in response.context["errors"]}


def test_not_a_workbook_is_refused_clearly(ip_officer, login):
    response = login(ip_officer).post("/workbench/ip/enterprises/import/", {"file": upload(b"not a zip")})
    assert "xlsx" in response.content.decode()


def test_export_re_imports_into_an_empty_register(ip_officer, entity_in, login):
    client = login(ip_officer)
    firm = entity_in("410402", unit="41040201")
    services.ip_enterprise_create(actor=ip_officer, entity=firm, level="national_adv", year=2026,
                                  document_no="国知办发〔2026〕1号")
    data = b"".join(client.get("/workbench/ip/enterprises/export.xlsx").streaming_content)  # streamed
    rows = read(data)
    assert rows[0][:4] == ["企业统一社会信用代码", "认定类别", "认定年度", "认定文件文号"]
    assert rows[1][:4] == [firm.uscc, "国家知识产权优势企业", "2026", "国知办发〔2026〕1号"]
    IPEnterprise.objects.all().delete()
    assert client.post("/workbench/ip/enterprises/import/", {"file": upload(data)}).status_code == 200
    assert IPEnterprise.objects.get().level == "national_adv"


def test_template_lists_the_columns(ip_officer, login):
    data = login(ip_officer).get("/workbench/ip/pledges/template.xlsx").content
    assert read(data)[0][0] == "质押登记号"
    assert read(data, sheet=1)[0] == ["列名", "必填", "说明"]
