import pytest

from jianguan.core.tests.factories import staff


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def monitor(org):
    """An online trading officer of the 新华区 bureau: sees the district and its stations."""
    return staff("xh_monitor", "410402", ["online_monitor"], credential=False, name="新华区网监员")


@pytest.fixture
def shop(monitor):
    from jianguan.enforcement.tests.factories import business
    from jianguan.monitoring import services

    return services.shop_create(actor=monitor, platform="taobao", shop_name="某某电器旗舰店",
                                url="https://shop1.example.cn/", entity=business(), licence_displayed=False)
