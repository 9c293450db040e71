"""A CSV saved by Chinese Excel's plain "CSV" option is GBK, not UTF-8: it is detected, read correctly, and the
result says so (so the clerk knows why, and what to choose next time)."""

import pytest

from jianguan.registry import importexport
from jianguan.registry.models import Entity

from .spreadsheets import row, write_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_a_gbk_csv_is_detected_and_imported_with_a_warning(org, tmp_path, encoding):
    rows = [row(1, name="平顶山市鹰城镕铧商贸有限公司"), row(2, 住所="平顶山市新华区矿工路中段（鑫鑫大厦）")]
    path = write_csv(tmp_path / "gbk.csv", rows, encoding=encoding)
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")

    result = importexport.import_entities(path)

    assert result.ok and result.created == 2
    assert any("GBK" in w and "CSV UTF-8" in w for w in result.warnings), result.warnings
    assert set(Entity.objects.values_list("name", flat=True)) == {"平顶山市鹰城镕铧商贸有限公司", rows[1]["名称"]}
    assert Entity.objects.filter(address="平顶山市新华区矿工路中段（鑫鑫大厦）").exists()


def test_a_file_mixing_encodings_is_refused_with_what_to_do(org, tmp_path):
    good = write_csv(tmp_path / "a.csv", [row(1)] * 1, encoding="utf-8")
    data = good.read_bytes() + ",".join(row(2).values()).encode("gbk") + b"\r\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    result = importexport.import_entities(path)
    assert result.fatal and result.exit_code == 2
    assert "无法识别文件编码" in str(result.problems[0]) and "CSV UTF-8" in str(result.problems[0])
    assert not Entity.objects.exists()
