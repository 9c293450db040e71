"""The workbench import page: a registrar uploads a file, checks it, imports it all-or-nothing or skipping bad
rows with a downloadable report; permission, scope, CSRF and the size limit hold; the page's query count is fixed."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jianguan.core.models import AuditEntry
from jianguan.registry.models import Entity

from .factories import EntityFactory, registrar
from .spreadsheets import code, row, snapshot, write_csv, write_xlsx

pytestmark = pytest.mark.django_db
URL = "/workbench/registry/import/"


@pytest.fixture(autouse=True)
def _private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def post(client, path, mode="all", **extra):
    return client.post(URL, {"file": upload(path), "mode": mode, **extra})


def test_a_valid_file_is_imported_and_audited(login, org, tmp_path):
    user = registrar()
    client = login(user)
    r = post(client, write_xlsx(tmp_path / "ok.xlsx", [row(1), row(2)]))
    body = r.content.decode()
    assert r.status_code == 200 and "新增 2 户" in body and "已导入" in body
    assert set(Entity.objects.values_list("uscc", flat=True)) == {code(1), code(2)}
    entry = AuditEntry.objects.get(action="registry.entity.imported")
    assert entry.actor_id == user.pk and entry.changes["created"] == [None, 2]


def test_check_mode_reports_and_writes_nothing(login, org, tmp_path):
    client = login(registrar())
    r = post(client, write_csv(tmp_path / "ok.csv", [row(1)]), mode="check")
    assert r.status_code == 200 and "校验通过，可以导入" in r.content.decode()
    assert not Entity.objects.exists()


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_written(login, org, tmp_path):
    EntityFactory()
    before = snapshot()
    client = login(registrar())
    r = post(client, write_csv(tmp_path / "bad.csv", [row(1), row(2, capital="-1"), row(3, industry="99")]))
    body = r.content.decode()
    assert r.status_code == 422
    assert "第3行" in body and "G列「注册资本（万元）」" in body and "注册资本不能为负数" in body
    assert "第4行" in body and "M列「行业代码」" in body
    assert "未写入任何数据" in body
    assert snapshot() == before


def test_skip_mode_loads_good_rows_and_offers_the_report_to_its_owner_only(login, org, tmp_path):
    client = login(registrar())
    r = post(client, write_csv(tmp_path / "mixed.csv", [row(1), row(2, division="410499")]), mode="skip")
    assert r.status_code == 422
    assert list(Entity.objects.values_list("uscc", flat=True)) == [code(1)]
    report_url = r.context["report_token"] and f"{URL}reports/{r.context['report_token']}/"
    assert report_url and report_url in r.content.decode()
    download = client.get(report_url)
    assert download.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    values = [[c.value for c in line] for line in ws.iter_rows()]
    assert values[0][0] == "原行号" and values[0][-1] == "问题说明"
    assert values[1][0] == 3 and "行政区划代码「410499」不存在" in values[1][-1]
    other = Client()
    other.force_login(registrar("registrar_other", "410402"))
    assert other.get(report_url).status_code == 404
    assert client.get(f"{URL}reports/{'0' * 32}/").status_code == 404


def test_an_oversized_upload_is_refused_with_a_clear_message(login, org, tmp_path, settings):
    settings.JIANGUAN_MAX_UPLOAD_BYTES = 60 * 1024
    client = login(registrar())
    big = write_csv(tmp_path / "big.csv", [row(i) for i in range(1, 800)])
    assert big.stat().st_size > 120 * 1024
    r = post(client, big)
    body = r.content.decode()
    assert r.status_code == 413
    assert "上传的文件超过 60 KB 的上限，未导入任何数据" in body and "请把文件拆分" in body
    assert not Entity.objects.exists()


def test_a_file_just_under_the_limit_but_over_it_after_reading_is_refused(login, org, tmp_path, settings):
    path = write_csv(tmp_path / "edge.csv", [row(i) for i in range(1, 40)])
    settings.JIANGUAN_MAX_UPLOAD_BYTES = path.stat().st_size - 10  # within the multipart allowance
    client = login(registrar())
    r = post(client, path)
    assert r.status_code == 413 and "上传的文件超过" in r.content.decode()
    assert not Entity.objects.exists()


def test_rows_for_a_unit_outside_the_users_scope_are_refused(login, org, tmp_path):
    client = login(registrar())  # 新华区
    path = write_csv(tmp_path / "wd.csv", [row(1, division="410403", unit="41040301", 登记机关代码="410403")])
    r = post(client, path)
    assert r.status_code == 422 and "不在您的管辖范围内" in r.content.decode()
    assert not Entity.objects.exists()


def test_a_wrong_kind_of_file_is_refused_by_the_form(login, org):
    client = login(registrar())
    r = client.post(URL, {"file": SimpleUploadedFile("list.xls", b"\xd0\xcf\x11\xe0"), "mode": "all"})
    assert r.status_code == 400 and "只能导入 .xlsx 或 .csv 文件" in r.content.decode()


def test_staff_without_the_import_permission_get_403(login, org, station_inspector, tmp_path):
    client = login(station_inspector)
    assert client.get(URL).status_code == 403
    assert post(client, write_csv(tmp_path / "ok.csv", [row(1)])).status_code == 403
    assert not Entity.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(org, tmp_path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(registrar())
    r = client.post(URL, {"file": upload(write_csv(tmp_path / "ok.csv", [row(1)])), "mode": "all"})
    assert r.status_code == 403
    assert not Entity.objects.exists()


def test_the_import_page_query_count_is_fixed(login, org, django_assert_max_num_queries):
    client = login(registrar())
    client.get(URL)
    EntityFactory.create_batch(20)
    with django_assert_max_num_queries(12):
        r = client.get(URL)
    assert r.status_code == 200 and "批量导入市场主体" in r.content.decode()
