"""A realistic Pingdingshan for demos, tests and benchmarks: ``jianguan seed --entities N``.

What "realistic" means here, each a tunable table below:
- districts' shares (新华、卫东、湛河 and 汝州 large, 石龙 small) and, per district, a kind mix with about two
  thirds individual businesses and farmers' cooperatives concentrated in the counties;
- industries weighted per kind (retail, catering and residential services for individual businesses; wholesale,
  business services, construction, manufacturing… for companies; planting and breeding for cooperatives);
- names built the way they are in Pingdingshan (平顶山市{字号}{行业}有限公司, 新华区{姓名}{业态}店,
  叶县{乡镇}{字号}{产品}种植专业合作社), unique within a run;
- establishment dates from 1995 to today, skewed recent; about 90 % active, the older the likelier closed;
- licences for the right industries (catering → 食品经营许可证 JY2…, food shops → JY1… or a filing, food
  manufacturers → SC…, workshops → 小作坊登记证, pharmacies → 药品经营许可证, property and hotels → elevator
  使用登记证…) with validity spread so that some expire within the next 30–60 days;
- legal representatives with synthetic but well-formed 18-digit ID numbers (the entity's district as region, a
  birth date fitting the establishment date, the ISO 7064 check digit) and synthetic mobile numbers.

Codes are real, valid USCCs from :func:`uscc.generate`, with serials reserved through
``core.sequences.reserve_block`` under the key ``services.new_code`` uses (``uscc:{division}:{digit}``), so a
later registration never collides with a seeded code. Licence numbers are reserved the same way.

Deterministic: the same ``seed`` and ``today`` on the same starting database give the same rows.

Speed (1,000,000 entities ≤ 180 s on PostgreSQL, see docs/benchmarks.md): rows are built as plain tuples from
pre-computed pools and written with ``bulk.insert`` (COPY on PostgreSQL); for large runs every index of the loaded
tables that backs no constraint (the search indexes — trigrams, grams — and the B-trees of the lists) is dropped during
the load and built once afterwards, which is several times cheaper than maintaining them row by row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import time
from bisect import bisect
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from jianguan.core import audit, crypto, sequences
from jianguan.core.crypto import encrypt
from jianguan.core.models import OrgUnit

from . import bulk, uscc
from .models import (
    Entity,
    EntityChange,
    EntityKind,
    EntityStatus,
    Industry,
    Licence,
    LicenceKind,
    LicenceStatus,
    PendingIndex,
)

SEEDED_COUNTER = "registry:seeded-entities"
#: From this many entities on, the loaded tables' indexes (but those of their keys and unique codes) are built after the
#: load instead of maintained row by row during it.
REBUILD_INDEXES_FROM = 100_000
BATCH = 20_000
#: Sessions that build the dropped indexes side by side once the load has committed. PostgreSQL builds a GIN index in
#: one process; the three search indexes one after the other were most of the time after a 10,000,000-entity load.
INDEX_SESSIONS = 3

# --- Tables -----------------------------------------------------------------------------------------------------

# (division, name, share %, urban?) — 汝州 and the three central districts are the big ones, 石龙 is tiny.
DISTRICTS = (
    ("410402", "新华区", 16, True),
    ("410403", "卫东区", 13, True),
    ("410404", "石龙区", 2, True),
    ("410411", "湛河区", 12, True),
    ("410421", "宝丰县", 9, False),
    ("410422", "叶县", 10, False),
    ("410423", "鲁山县", 9, False),
    ("410425", "郏县", 7, False),
    ("410481", "舞钢市", 6, False),
    ("410482", "汝州市", 16, False),
)
DISTRICT_SHARES = {code: share for code, _n, share, _u in DISTRICTS}

K = EntityKind
KIND_MIX_URBAN = ((K.INDIVIDUAL, 64.0), (K.LLC, 28.0), (K.BRANCH, 3.5), (K.SOLE_PROPRIETORSHIP, 2.0),
                  (K.PARTNERSHIP, 0.8), (K.JOINT_STOCK, 0.3), (K.FOREIGN, 0.2), (K.COOPERATIVE, 1.2))
KIND_MIX_COUNTY = ((K.INDIVIDUAL, 67.0), (K.LLC, 22.0), (K.BRANCH, 2.0), (K.SOLE_PROPRIETORSHIP, 2.0),
                   (K.PARTNERSHIP, 0.5), (K.JOINT_STOCK, 0.2), (K.FOREIGN, 0.1), (K.COOPERATIVE, 6.2))

INDIVIDUAL_INDUSTRIES = {"52": 40, "62": 18, "80": 8, "81": 6, "51": 5, "54": 4, "50": 3, "72": 2, "61": 2,
                         "90": 2, "82": 2, "01": 2, "03": 1.5, "13": 1.5, "14": 1.5, "89": 0.5, "88": 0.5,
                         "71": 0.5}
COMPANY_INDUSTRIES = {
    "51": 16, "52": 7, "72": 10, "75": 6, "74": 5, "50": 5, "47": 4, "48": 4, "65": 4, "70": 4, "54": 3, "30": 2.5,
    "49": 2, "64": 2, "62": 2, "01": 2, "13": 1.5, "14": 1.5, "26": 1.5, "33": 1.5, "34": 1.5, "35": 1.5, "71": 1.5,
    "80": 1.5, "83": 1.2, "06": 1, "29": 1, "38": 1, "61": 1, "58": 1, "59": 1, "03": 1, "81": 1, "82": 1, "15": 0.8,
    "44": 0.8, "77": 0.8, "78": 0.8, "84": 0.8, "18": 0.6, "90": 0.6, "10": 0.5, "05": 0.5, "02": 0.5, "21": 0.5,
    "31": 0.5, "39": 0.5, "41": 0.5, "73": 0.5, "88": 0.5, "89": 0.5, "27": 0.4, "20": 0.4, "23": 0.4, "42": 0.4,
    "45": 0.4, "11": 0.3, "17": 0.3, "24": 0.3, "25": 0.3, "36": 0.3, "43": 0.3, "46": 0.3, "69": 0.3, "85": 0.3,
    "86": 0.3, "87": 0.3, "19": 0.2, "22": 0.2, "32": 0.2, "37": 0.2, "40": 0.2, "60": 0.2, "66": 0.2, "68": 0.2,
    "04": 0.2, "67": 0.1, "12": 0.1, "28": 0.05, "53": 0.05,
}
COOPERATIVE_INDUSTRIES = {"01": 60, "03": 22, "05": 10, "02": 5, "04": 3}

# Company name words per industry division (平顶山市{字号}{word}有限公司).
COMPANY_WORDS = {
    "01": ("农业开发", "农业科技", "生态农业"), "02": ("林业", "苗木"), "03": ("牧业", "养殖"), "04": ("水产养殖",),
    "05": ("农机服务", "植保服务"), "06": ("煤业", "煤炭"), "10": ("矿业", "石料"), "11": ("矿山工程",), "12": ("矿业",),
    "13": ("面业", "粮油", "饲料", "肉制品"), "14": ("食品", "调味品", "乳业"), "15": ("酒业", "饮品", "茶业"),
    "17": ("纺织",), "18": ("服饰", "制衣"), "19": ("鞋业",), "20": ("木业",), "21": ("家具",), "22": ("纸业",),
    "23": ("印务",), "24": ("文体用品",), "25": ("焦化", "煤化工"), "26": ("化工", "新材料"), "27": ("药业", "制药"),
    "28": ("化纤",), "29": ("塑业", "橡胶制品"), "30": ("建材", "耐火材料", "水泥制品"), "31": ("特钢", "钢铁"),
    "32": ("铝业",), "33": ("钢结构", "金属制品"), "34": ("机械", "阀门"), "35": ("矿山机械", "机械设备"),
    "36": ("汽车配件",), "37": ("车辆制造",), "38": ("电气", "电缆"), "39": ("电子",), "40": ("仪表",),
    "41": ("工艺品",), "42": ("再生资源",), "43": ("设备维修",), "44": ("热力", "新能源", "电力"), "45": ("燃气",),
    "46": ("水务",), "47": ("建筑工程", "建设工程"), "48": ("路桥工程", "市政工程"), "49": ("安装工程", "电力工程"),
    "50": ("装饰工程", "建筑装饰"),
    "51": ("商贸", "贸易", "物资", "建材", "农产品", "煤炭销售", "五金机电", "食品", "酒业", "医药"),
    "52": ("商贸", "百货", "超市", "服饰", "家电", "汽车销售", "大药房", "医药连锁", "眼镜"),
    "53": ("铁路运输",), "54": ("物流", "运输", "货运"), "58": ("供应链管理", "货运代理"), "59": ("仓储", "物流"),
    "60": ("快递服务",), "61": ("酒店管理", "宾馆"), "62": ("餐饮管理", "餐饮服务"), "64": ("网络科技", "互联网科技"),
    "65": ("软件", "信息技术"), "66": ("小额贷款",), "67": ("投资管理",), "68": ("保险代理",), "69": ("资产管理",),
    "70": ("房地产开发", "置业", "物业服务"), "71": ("机械设备租赁", "汽车租赁"),
    "72": ("企业管理咨询", "商务信息咨询", "人力资源", "广告传媒", "劳务服务", "保安服务", "文化传播"),
    "73": ("研究院",), "74": ("工程技术", "检测技术", "工程设计"), "75": ("科技", "新能源科技", "环保科技"),
    "77": ("环保工程",), "78": ("园林绿化",), "80": ("家政服务", "美容美发"), "81": ("汽车维修",), "82": ("清洁服务",),
    "83": ("教育咨询",), "84": ("医疗管理",), "85": ("养老服务",), "86": ("文化传媒",), "87": ("影视传媒",),
    "88": ("文化艺术",), "89": ("体育发展",), "90": ("文化娱乐",),
}
# Individual business words per industry (新华区{姓名或字号}{word}).
SHOP_WORDS = {
    "52": ("便利店", "超市", "副食店", "百货店", "服装店", "鞋店", "五金店", "建材店", "手机店", "烟酒店", "水果店", "蔬菜店",
           "粮油店", "母婴店", "眼镜店", "花店", "文具店", "家电商行", "大药房", "药店"),
    "62": ("烩面馆", "饭店", "小吃店", "面馆", "包子铺", "火锅店", "烧烤店", "羊肉汤馆", "饺子馆", "快餐店", "奶茶店",
           "蛋糕店", "胡辣汤店", "米线店"),
    "80": ("理发店", "美发店", "美容店", "洗衣店", "家政服务部", "摄影部"), "81": ("汽车修理部", "电动车维修部", "家电维修部"),
    "51": ("批发部", "商行", "经销部"), "54": ("运输部", "货运部"), "72": ("广告部", "信息服务部"), "50": ("装饰部", "门窗加工部"),
    "61": ("宾馆", "旅馆"), "90": ("棋牌室", "网吧"), "13": ("面粉加工部", "油坊", "豆腐坊"), "14": ("食品加工部", "糕点坊", "馍店"),
    "01": ("种植园", "家庭农场"), "03": ("养殖场",), "82": ("打印部", "开锁部"), "89": ("健身房",), "88": ("书画社",),
    "71": ("租赁部",),
}
COOP_PRODUCTS = {
    "01": ("蔬菜", "小麦", "花生", "红薯", "中药材", "食用菌", "辣椒", "葡萄", "林果", "艾草", "烟叶", "西瓜"),
    "02": ("苗木", "花卉"), "03": ("生猪", "肉牛", "肉羊", "蛋鸡", "肉鸽"), "04": ("水产",), "05": ("农机", "植保"),
}
COOP_TYPE = {"01": "种植", "02": "种植", "03": "养殖", "04": "养殖", "05": "服务"}
FOOD_SHOPS = {"便利店", "超市", "副食店", "百货店", "烟酒店", "水果店", "蔬菜店", "粮油店", "母婴店"}
PHARMACY_WORDS = {"大药房", "药店", "医药连锁"}

TRADE_CHARS = "鑫源华泰宏达恒信金鼎盛通瑞祥兴隆聚丰嘉和瀚博中原天润昌宇永安德福豪伟建新佳美利明远正弘汇凯腾龙鹏鸿晟顺发益康绿禾沃田" \
              "诚创科睿智旭阳光辉星辰尚品优宜乐欣悦锦宝万豫平湛卫森淼"
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范"
            "方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
SURNAME_WEIGHTS = [12, 11, 10, 8, 6, 5, 4, 3.5, 3, 3] + [1.5] * 20 + [0.8] * 30 + [0.4] * (len(SURNAMES) - 60)
GIVEN_MALE = ("伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "建国",
              "建华", "国强", "志强", "志刚", "卫东", "红军", "海涛", "晓东", "晓明", "俊杰", "文博", "浩然", "子豪", "宇航",
              "国庆", "建军", "永辉", "振华", "学文", "德胜", "长江")
GIVEN_FEMALE = ("芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "桂英", "秀英", "秀兰", "玉兰", "丽娟", "海燕", "红梅",
                "晓燕", "春梅", "雪梅", "思雨", "欣怡", "梓涵", "雅琴", "慧", "琳", "婷", "凤霞", "素珍", "文静")
URBAN_ROADS = ("建设路", "中兴路", "矿工路", "开源路", "光明路", "新华路", "湛河路", "凌云路", "优越路", "体育路", "南环路", "东环路",
               "西环路", "北环路", "五一路", "曙光街", "和平路", "长安大道", "神马大道", "新城大道", "园林路", "光华路", "河滨路",
               "联盟路", "东安路", "平安大道", "湛北路", "劳动路", "姚孟大道", "英才路")
COUNTY_ROADS = ("人民路", "解放路", "建设路", "文化路", "健康路", "府前街", "迎宾大道", "工业路", "朝阳路", "花园路", "育才路",
                "商贸街", "东大街", "西大街", "南大街", "北大街", "滨河路", "站前路")
TOWNS = {
    "410402": ("西高皇", "焦店", "中兴路", "湛北路", "光明路", "矿工路", "西市场", "青石山", "曙光街"),
    "410403": ("东安路", "北环路", "蒲城", "东高皇", "光华路", "五一路", "建设路", "优越路", "鸿鹰街"),
    "410404": ("高庄", "龙兴", "人民路", "龙河"),
    "410411": ("曹镇", "北渡", "九里山", "南环路", "轻工路", "马庄", "荆山", "河滨"),
    "410421": ("城关", "周庄", "杨庄", "大营", "石桥", "李庄", "肖旗", "赵庄", "前营", "闹店", "张八桥"),
    "410422": ("昆阳", "任店", "龙泉", "廉村", "保安", "仙台", "遵化店", "叶邑", "洪庄杨", "水寨", "田庄", "夏李", "辛店"),
    "410423": ("琴台", "下汤", "张良", "露峰", "鲁阳", "汇源", "尧山", "赵村", "四棵树", "董周", "马楼", "辛集"),
    "410425": ("龙山", "堂街", "安良", "东城", "冢头", "薛店", "长桥", "黄道", "王集", "李口", "茨芭", "白庙"),
    "410481": ("垭口", "尚店", "八台", "寺坡", "院岭", "矿建", "朱兰", "枣林", "尹集", "杨庄", "庙街", "武功"),
    "410482": ("风穴路", "钟楼", "临汝", "煤山", "汝南", "洗耳河", "小屯", "寄料", "庙下", "焦村", "蟒川", "纸坊", "骑岭",
               "杨楼", "大峪", "陵头", "王寨", "夏店", "温泉"),
}
VILLAGES = ("王庄", "李庄", "张庄", "刘营", "陈湾", "杨楼", "赵寨", "孙店", "马岗", "周堂", "吴营", "郑寨", "谢庄", "韩店", "冯庄",
            "许营", "丁集", "魏庄", "何湾", "前进", "新庄", "东关", "西关", "后营", "大张", "石桥", "黄庄", "柳树沟", "枣园")
SCOPES = {
    "52": "日用百货、预包装食品、散装食品销售；烟草制品零售（凭许可证经营）",
    "62": "餐饮服务（凭许可证经营）；食品销售",
    "51": "建筑材料、五金交电、日用百货、农副产品、煤炭（不含储存）批发",
    "72": "企业管理咨询；商务信息咨询；会议及展览服务；广告设计、制作、发布",
    "80": "美容美发服务；洗染服务；家政服务",
    "81": "机动车维修；日用电器修理",
    "47": "房屋建筑工程施工；建筑劳务分包",
    "70": "房地产开发经营；物业管理",
    "54": "普通货物道路运输；货物装卸搬运",
    "01": "农作物种植、销售；农业技术推广服务",
    "03": "畜禽养殖、销售",
}
COMPANY_SUFFIX = "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
SC_CATEGORIES = {"13": ("101", "102", "104"), "14": ("103", "107", "108", "124", "125"), "15": ("106", "114", "115")}

# Licence kind, share of matching entities that hold one.
_PROB_CATERING_JY = 0.93
_PROB_FOODSHOP_LICENSED = 0.7
_PROB_ELEVATOR = 0.5


def _cum(weights):
    return list(itertools.accumulate(weights))


@dataclass
class SeedResult:
    entities: int = 0
    licences: int = 0
    changes: int = 0
    seconds: float = 0.0
    method: str = ""
    index_seconds: float = 0.0

    def summary(self) -> str:
        return (f"已生成 {self.entities:,} 户市场主体、{self.licences:,} 张许可证、{self.changes:,} 条登记记录，"
                f"用时 {self.seconds:.1f} 秒（写入方式：{self.method}）。")


def _id_check(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character of a resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    return "10X98765432"[total % 11]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def ensure_org() -> dict[str, dict]:
    """{division: {"district": id, "stations": [ids]}}; builds the Pingdingshan organisation if it is missing."""
    def load():
        units = {}
        for pk, code, kind, parent_code in OrgUnit.objects.filter(
                kind__in=[OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STATION]).values_list("id", "code", "kind",
                                                                                   "parent__code"):
            if kind == OrgUnit.Kind.DISTRICT:
                units.setdefault(code, {"stations": []})["district"] = pk
            else:
                units.setdefault(parent_code, {"stations": []})["stations"].append((code, pk))
        for u in units.values():
            u["stations"] = [pk for _c, pk in sorted(u["stations"])]
        return units

    units = load()
    if not all(code in units and units[code].get("district") and units[code]["stations"]
               for code, *_ in DISTRICTS):
        from jianguan.core.demo import build_org

        build_org()
        units = load()
    return units


class _Pools:
    """Everything precomputed once per run, so the per-entity work is a handful of list lookups."""

    def __init__(self, rng: random.Random):
        chars = TRADE_CHARS
        self.trade_names = [a + b for a in chars for b in chars if a != b and a + b != "鹰城"]
        rng.shuffle(self.trade_names)
        self.surnames = SURNAMES
        self.surname_cum = _cum(SURNAME_WEIGHTS)
        self.kind_cum = {True: _cum([w for _k, w in KIND_MIX_URBAN]), False: _cum([w for _k, w in KIND_MIX_COUNTY])}
        self.kind_values = {True: [k.value for k, _w in KIND_MIX_URBAN], False: [k.value for k, _w in KIND_MIX_COUNTY]}
        self.industries = {}
        for group, table in (("individual", INDIVIDUAL_INDUSTRIES), ("company", COMPANY_INDUSTRIES),
                             ("cooperative", COOPERATIVE_INDUSTRIES)):
            self.industries[group] = (list(table), _cum(table.values()))


def seed_entities(n: int, *, seed: int = 2026, today: dt.date | None = None, actor=None, progress=None,
                  batch: int = BATCH) -> SeedResult:
    """Add ``n`` generated entities (with their licences and registration history) in one transaction."""
    started = time.monotonic()
    today = today or timezone.localdate()
    result = SeedResult(method="COPY" if connection.vendor == "postgresql" else "INSERT（executemany）")
    if n <= 0:
        return result
    rng = random.Random(seed)
    rebuild = connection.vendor == "postgresql" and n >= REBUILD_INDEXES_FROM
    # Outside a transaction the load commits first and the indexes are then built in several sessions at once (a
    # session does not see another's uncommitted rows). Their statements are committed with the load (PendingIndex),
    # so a build that stops is finished by the next run. Inside a caller's transaction: built in it, one by one.
    side_by_side = rebuild and not connection.in_atomic_block
    if rebuild:
        finish_pending_indexes()  # a previous run's, before this one drops any
    with transaction.atomic():
        units = ensure_org()
        industry_names = dict(Industry.objects.filter(parent__isnull=False).values_list("code", "name"))
        kinds = {k.code: k for k in LicenceKind.objects.all()}
        if rebuild:
            dropped = _drop_secondary_indexes()
        pools = _Pools(rng)
        gen = _Generator(rng, pools, units, industry_names, kinds, today)
        # Draw every entity's district and kind first, to reserve each code block once.
        shares = _cum([share for _c, _n, share, _u in DISTRICTS])
        plan = []
        rand = rng.random
        for _ in range(n):
            d = DISTRICTS[bisect(shares, rand() * shares[-1])]
            urban = d[3]
            cum = pools.kind_cum[urban]
            plan.append((d, pools.kind_values[urban][bisect(cum, rand() * cum[-1])]))
        needed = Counter((d[0], _type_digit(kind)) for d, kind in plan)
        gen.serials = {key: sequences.reserve_block(f"uscc:{key[0]}:{key[1]}", count) for key, count in
                       sorted(needed.items())}
        for start in range(0, n, batch):
            _load_batch(gen, result, *gen.batch(plan[start:start + batch]))
            if progress:
                progress(result.entities, n)
        if side_by_side:
            PendingIndex.objects.bulk_create([PendingIndex(name=name, statement=statement) for name, statement in dropped])
        elif rebuild:
            index_started = time.monotonic()
            _create_indexes(dropped)
            result.index_seconds = time.monotonic() - index_started
        sequences.reserve_block(SEEDED_COUNTER, n)
        audit.record(actor=actor or "seed", action="registry.entity.seeded", object_type="seed",
                     object_repr=f"生成演示市场主体 {n} 户",
                     changes={"entities": [None, n], "licences": [None, result.licences], "seed": [None, seed],
                              "today": [None, today.isoformat()]})
    if side_by_side:
        index_started = time.monotonic()
        finish_pending_indexes()
        result.index_seconds = time.monotonic() - index_started
    if connection.vendor == "postgresql" and n >= REBUILD_INDEXES_FROM:
        with connection.cursor() as cursor:  # fresh statistics, or the planner guesses on a table it never saw
            for table in (Entity, EntityChange, Licence):
                cursor.execute(f'ANALYZE "{table._meta.db_table}"')
    result.seconds = time.monotonic() - started
    return result


def _load_batch(gen, result, entities, changes, licences) -> None:
    """Write one generated batch: the entities under keys reserved for them, their history, their licences."""
    ids = bulk.allocate_ids(Entity, len(entities))
    bulk.insert(Entity, _ENTITY_FIELDS, ((pk, *row) for pk, row in zip(ids, entities, strict=True)))
    result.changes += bulk.insert(EntityChange, _CHANGE_FIELDS, ((ids[i], *row) for i, row in changes))
    # Numbered before the COPY starts: numbering reserves blocks with queries, and a query on the connection in the
    # middle of its COPY waits for the COPY, which waits for the rows — forever.
    numbered = list(gen.number_licences((ids[i], row) for i, row in licences))
    result.licences += bulk.insert(Licence, _LICENCE_FIELDS, numbered)
    result.entities += len(entities)


def seeded_count() -> int:
    """How many entities the seeder has added to this database (the demo uses it to stay idempotent)."""
    from jianguan.core.models import Sequence

    return Sequence.objects.filter(key=SEEDED_COUNTER).values_list("value", flat=True).first() or 0


def _type_digit(kind: str) -> str:
    return "2" if kind == "individual" else "3" if kind == "cooperative" else "1"


_LOADED = (Entity, EntityChange, Licence)


def _drop_secondary_indexes() -> list[tuple[str, str]]:
    """Drop, for the load, what each loaded row would otherwise maintain one at a time: every index of the loaded
    tables that backs no constraint (all but the keys and the unique codes and numbers, which keep checking the rows
    as they come), and their foreign keys (each row queued a deferred check of its entity, unit, kind…). Returns the
    statements that put them back (``_create_indexes``).

    An index built once over the loaded rows, sorted, is far cheaper than a random insert into it per row (at
    10,000,000 entities the entity table alone had 13), and a foreign key added back is checked by one join over the
    table instead of one lookup per row (docs/scale.md)."""
    tables = [model._meta.db_table for model in _LOADED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
            "ORDER BY t.relname, c.relname",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "WHERE k.contype = 'f' AND k.conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        # A table with pending trigger events (the organisation's rows just written, their deferred checks) cannot
        # be altered, nor can the tables its keys reference: run those checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [(name, definition) for name, definition in indexes] + [
        (name, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}') for table, name, definition in keys]


def _at_least_1gb_for_builds(cursor) -> None:
    """The GIN builds gather their entries in ``maintenance_work_mem`` and spill less with more: at least 1 GB in this
    transaction, more if the server gives more (a province's server: 2 GB)."""
    cursor.execute("SELECT setting::bigint FROM pg_settings WHERE name = 'maintenance_work_mem'")  # in kB
    if cursor.fetchone()[0] < 1024 * 1024:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")


def _create_indexes(found: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        _at_least_1gb_for_builds(cursor)
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")  # B-tree builds use the other core
        # PostgreSQL will not build an index on a table with pending trigger events (deferred foreign-key checks
        # of rows written before the load): run them now (they would run at commit anyway), build, defer again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, statement in found:
            cursor.execute(statement)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def finish_pending_indexes(sessions: int | None = None) -> int:
    """Build every ``PendingIndex``: the indexes in ``sessions`` sessions at once (the GIN ones first, the longest),
    then the foreign keys one after the other (each locks the tables it checks against the index builds and the other
    keys). Each statement and the deletion of its row commit together. Returns how many were built."""
    pending = list(PendingIndex.objects.order_by("id").values_list("id", "name", "statement"))
    if not pending or connection.vendor != "postgresql":
        return 0
    keys = [p for p in pending if p[2].startswith("ALTER TABLE")]
    indexes = sorted((p for p in pending if not p[2].startswith("ALTER TABLE")),
                     key=lambda p: (" USING gin " not in p[2], p[0]))

    def build(item):
        pk, _name, statement = item
        statement = re.sub(r"^CREATE (UNIQUE )?INDEX ", r"CREATE \1INDEX IF NOT EXISTS ", statement)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                _at_least_1gb_for_builds(cursor)
                cursor.execute(statement)
                PendingIndex.objects.filter(pk=pk).delete()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=max(1, sessions or INDEX_SESSIONS), thread_name_prefix="seed-index") as pool:
        list(pool.map(build, indexes))  # list(): re-raises the first failure
    for pk, name, statement in keys:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(statement)
            PendingIndex.objects.filter(pk=pk).delete()
    return len(pending)


_ENTITY_FIELDS = ("id", "uscc", "uscc_problem", "name", "kind", "legal_rep", "legal_rep_id_no", "phone",
                  "registered_capital", "established_on", "address", "division_id", "unit_id",
                  "registration_authority_id", "industry_id", "business_scope", "status", "status_changed_on",
                  "created_at", "updated_at")
_CHANGE_FIELDS = ("entity_id", "kind", "on", "changes", "note", "actor_id", "at")
_LICENCE_FIELDS = ("entity_id", "kind_id", "number", "issuer", "issued_on", "valid_until", "scope", "status",
                   "created_at", "by_commitment")

_CAPITAL = {
    "llc": ((3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10000),
            (3, 6, 14, 10, 8, 14, 18, 8, 5, 6, 4, 2, 1, 0.5)),
    "joint_stock": ((1000, 2000, 3000, 5000, 10000, 30000), (2, 3, 2, 3, 2, 1)),
    "sole": ((1, 3, 5, 10, 20, 50, 100), (2, 3, 4, 4, 2, 2, 1)),
    "partnership": ((10, 50, 100, 500, 1000), (2, 3, 3, 2, 1)),
    "foreign": ((100, 500, 1000, 5000), (2, 3, 2, 1)),
    "individual": ((1, 2, 3, 5, 10, 20, 50), (3, 3, 4, 5, 4, 2, 1)),
    "cooperative": ((10, 50, 100, 200, 300, 500, 1000), (2, 3, 4, 3, 2, 2, 1)),
}
_CAPITAL_CUM = {k: ([Decimal(v).quantize(Decimal("0.0001")) for v in vals], _cum(w)) for k, (vals, w) in _CAPITAL.items()}
_DISTRICT_NAME = {code: name for code, name, _s, _u in DISTRICTS}
_URBAN = {code for code, _n, _s, urban in DISTRICTS if urban}
_OTHER_HENAN_PREFIXES = ("410102", "410105", "410302", "410502", "410602", "410702", "411002", "411102", "411302",
                         "411502", "411602", "411702", "410202", "411402")


class _Generator:
    def __init__(self, rng, pools, units, industry_names, kinds, today):
        self.rng, self.pools, self.units, self.industry_names = rng, pools, units, industry_names
        self.kinds, self.today = kinds, today
        self.serials: dict[tuple[str, str], int] = {}
        self.names: set[str] = set()
        self.now = timezone.now()
        self.start_ordinal = dt.date(1995, 1, 1).toordinal()
        self.today_ordinal = today.toordinal()
        self.span = self.today_ordinal - self.start_ordinal
        self.trade_index = 0
        self.issuer = {code: f"{name}市场监督管理局" for code, name, _s, _u in DISTRICTS}
        self.ring = crypto.keyring()  # ID numbers and phones are written encrypted (#14): raw rows skip the field

    # -- helpers --
    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def person(self):
        rand = self.rng.random
        pools = self.pools
        surname = pools.surnames[bisect(pools.surname_cum, rand() * pools.surname_cum[-1])]
        male = rand() < 0.62  # owners of market entities: more men than women
        given = self.pick(GIVEN_MALE if male else GIVEN_FEMALE)
        return surname + given, male

    def trade_name(self):
        names = self.pools.trade_names
        self.trade_index += 1 + int(self.rng.random() * 7)
        return names[self.trade_index % len(names)]

    def id_number(self, division, established, male):
        rand = self.rng.random
        prefix = division if rand() < 0.8 else self.pick(_OTHER_HENAN_PREFIXES)
        age = 22 + int(rand() * 43)
        birth = dt.date.fromordinal(max(established.toordinal() - age * 365 - int(rand() * 365),
                                        dt.date(1940, 1, 1).toordinal()))
        seq = int(rand() * 500) * 2 + (1 if male else 0)
        first17 = f"{prefix}{birth:%Y%m%d}{seq:03d}"
        return first17 + _id_check(first17)

    def phone(self):
        rand = self.rng.random
        if rand() < 0.15:
            return ""
        return "1" + "35789"[int(rand() * 5)] + f"{int(rand() * 1_000_000_000):09d}"

    def unique(self, make, *args):
        """A name from ``make(*args)`` not used before in this run (a few redraws, then accept a repeat)."""
        for _ in range(6):
            name = make(*args)
            if name not in self.names:
                break
        self.names.add(name)
        return name

    def _individual_name(self, prefix, rep, word):
        return prefix + (rep if self.rng.random() < 0.4 else self.trade_name()) + word

    def _cooperative_name(self, dname, town, urban, product, industry):
        return (f"{dname}{town}{'镇' if not urban else ''}{self.trade_name()}{product}"
                f"{COOP_TYPE.get(industry, '种植')}专业合作社")

    # -- one batch --
    def batch(self, plan):
        """(entity rows without id, [(index, change row without entity id)], [(index, licence draft)])."""
        rng = self.rng
        rand = rng.random
        pools = self.pools
        entities, changes, licences = [], [], []
        for index, (district, kind) in enumerate(plan):
            division, dname, _share, urban = district
            group = "individual" if kind == "individual" else "cooperative" if kind == "cooperative" else "company"
            codes, cum = pools.industries[group]
            industry = codes[bisect(cum, rand() * cum[-1])]
            digit = _type_digit(kind)
            serial = self.serials[(division, digit)]
            self.serials[(division, digit)] = serial + 1
            code = uscc.generate(division, digit, serial)
            # Establishment: exponential back from today (mean ~7 years), folded into 1995…today.
            back = int(rng.expovariate(1 / 2600))
            if back > self.span:
                back = int(rand() * self.span)
            established = dt.date.fromordinal(self.today_ordinal - back)
            rep, male = self.person()
            word = ""
            if group == "individual":
                word = self.pick(SHOP_WORDS.get(industry, ("经营部",)))
                prefix = ("平顶山市" + dname) if urban and rand() < 0.6 else dname
                name = self.unique(self._individual_name, prefix, rep, word)
            elif group == "cooperative":
                town = self.pick(TOWNS[division])
                product = self.pick(COOP_PRODUCTS.get(industry, ("农产品",)))
                name = self.unique(self._cooperative_name, dname, town, urban, product, industry)
            else:
                word = self.pick(COMPANY_WORDS.get(industry, ("实业", "商贸")))
                name = self.unique(self._company_name, kind, word, division, dname, urban)
            # Address.
            if urban or rand() < (0.15 if group == "cooperative" else 0.55):
                roads = URBAN_ROADS if urban else COUNTY_ROADS
                address = f"{'平顶山市' if urban else ''}{dname}{self.pick(roads)}{1 + int(rand() * 300)}号"
            else:
                address = f"{dname}{self.pick(TOWNS[division])}镇{self.pick(VILLAGES)}村"
            unit = self.units[division]
            station = unit["stations"][int(rand() * len(unit["stations"]))]
            capital_values, capital_cum = _CAPITAL_CUM.get(kind, (None, None))
            capital = None
            if capital_values and not (kind == "individual" and rand() < 0.6):
                capital = capital_values[bisect(capital_cum, rand() * capital_cum[-1])]
            scope = SCOPES.get(industry) or f"{self.industry_names.get(industry, '')}相关业务"
            if group != "individual":
                scope += COMPANY_SUFFIX
            # Status: the older, the likelier closed; about 90 % stay active overall.
            age_years = back / 365.25
            status, changed_on = EntityStatus.ACTIVE.value, None
            if rand() < min(0.35, 0.015 + age_years * 0.012):
                r = rand()
                status = ("deregistered" if r < 0.58 else "revoked" if r < 0.93 else "moved_out" if r < 0.98
                          else "cancelled")
                lo = established.toordinal() + 90
                changed_on = dt.date.fromordinal(min(self.today_ordinal,
                                                     lo + int(rand() * max(1, self.today_ordinal - lo))))
            entities.append((
                code, "", name, kind, rep, encrypt(self.id_number(division, established, male), self.ring),
                encrypt(self.phone(), self.ring), capital,
                established, address, division, station, unit["district"], industry, scope, status, changed_on,
                self.now, self.now))
            changes.append((index, (EntityChange.Kind.ESTABLISHED.value, established, "{}", "演示数据", None,
                                    self.now)))
            if changed_on is not None:
                changes.append((index, (EntityChange.Kind.STATUS.value, changed_on,
                                        f'{{"status": ["active", "{status}"]}}', "演示数据", None, self.now)))
            for draft in self.licence_drafts(industry, kind, word, division, established, status):
                licences.append((index, draft))
        return entities, changes, licences

    def _company_name(self, kind, word, division, dname, urban):
        rand = self.rng.random
        trade = self.trade_name()
        place = "平顶山市" if rand() < 0.55 else "平顶山" if rand() < 0.6 else ("河南" if rand() < 0.5 else dname)
        if kind == "joint_stock":
            return f"{place}{trade}{word}股份有限公司"
        if kind == "branch":
            parent = "河南" if rand() < 0.5 else "平顶山市"
            return f"{parent}{trade}{word}有限公司{dname}{self.pick(TOWNS[division])}分公司"
        if kind == "sole":
            return f"{'平顶山市' if urban else ''}{dname}{trade}{word}中心"
        if kind == "partnership":
            return f"平顶山{trade}{word}合伙企业（有限合伙）"
        return f"{place}{trade}{word}有限公司"

    # -- licences --
    def licence_drafts(self, industry, kind, word, division, established, status):
        """[(kind code, key for the number block, number template data, issued_on, valid_until, status)]"""
        rand = self.rng.random
        out = []

        def add(kind_code, detail=""):
            lk = self.kinds.get(kind_code)
            if lk is None:
                return
            issued, until, lstatus = self.validity(lk.validity_years, established, status)
            out.append((kind_code, detail, division, issued, until, lstatus))

        if industry == "62":
            if kind == "individual" and rand() < 0.2:
                add("food_small_shop")
            elif rand() < _PROB_CATERING_JY:
                add("food_business", "2")
        elif word in PHARMACY_WORDS:
            add("drug_retail")
            if rand() < 0.5:
                add("device_filing")
        elif word in FOOD_SHOPS or (industry == "51" and word in ("食品", "酒业", "农产品")):
            if rand() < _PROB_FOODSHOP_LICENSED:
                add("food_business", "1")
            else:
                add("food_filing")
        elif industry == "51" and word == "医药":
            add("drug_wholesale")
        elif industry in SC_CATEGORIES:
            if kind == "individual":
                if rand() < 0.6:
                    add("food_workshop")
            elif rand() < 0.8:
                add("food_production", self.pick(SC_CATEGORIES[industry]))
        elif industry in ("70", "61") or word == "物业服务":
            if rand() < _PROB_ELEVATOR:
                for _ in range(1 + int(rand() * 3)):
                    add("special_equipment_use", "梯11")
        elif industry in ("26", "30", "31", "33", "38", "29") and kind != "individual":
            if rand() < 0.4:
                add("industrial_product")
            if rand() < 0.2:
                add("special_equipment_use", "容11" if rand() < 0.5 else "锅11")
        elif industry == "74" and word == "检测技术":
            if rand() < 0.6:
                add("inspection_testing")
        return out

    def validity(self, years, established, status):
        rand = self.rng.random
        today = self.today_ordinal
        first = established.toordinal() + int(rand() * 60)
        if years:
            # valid_until spread over (today − 4 % of the term, today + term]: a few expired, a steady trickle
            # expiring in every coming month (the workbench's expiring list), most well ahead.
            term = years * 365
            until = today - int(term * 0.04) + int(rand() * term * 1.04)
            issued = until - term + 1
            if issued < first:
                issued = min(first, today)
                until = issued + term - 1
            valid_until = dt.date.fromordinal(until)
        else:
            issued = first + int(rand() * max(1, today - first) * 0.5)
            valid_until = None
        issued = min(issued, today)
        lstatus = LicenceStatus.VALID.value
        if status != EntityStatus.ACTIVE:
            lstatus = LicenceStatus.CANCELLED.value
        elif valid_until is not None and valid_until.toordinal() < today:
            lstatus = LicenceStatus.EXPIRED.value
        return dt.date.fromordinal(issued), valid_until, lstatus

    def number_licences(self, drafts):
        """Give each draft its licence number from a block reserved per kind (and, for the food licences whose
        number embeds the region, per district and category), then yield licence rows."""
        drafts = list(drafts)
        needed = Counter(self.number_key(d) for _e, d in drafts)
        starts = {key: sequences.reserve_block(f"licence:{key[0]}:{key[1]}", count)
                  for key, count in sorted(needed.items())}
        for entity_id, draft in drafts:
            kind_code, detail, division, issued, until, lstatus = draft
            key = self.number_key(draft)
            seq = starts[key]
            starts[key] = seq + 1
            yield (entity_id, kind_code, self.licence_number(kind_code, detail, seq, issued, division),
                   self.licence_issuer(kind_code, division), issued, until, "", lstatus, self.now, False)

    @staticmethod
    def number_key(draft):
        kind_code, detail, division = draft[:3]
        if kind_code in ("food_business", "food_production"):
            return kind_code, f"{division}:{detail}"
        return kind_code, "410400"

    def licence_number(self, kind_code, detail, seq, issued, division):
        if kind_code == "food_business":
            body = f"JY{detail}{division}{seq % 1_000_000:06d}"
            return body + str(sum(map(int, body[2:])) % 10)
        if kind_code == "food_production":
            body = f"SC{detail}{division}{seq % 10_000:04d}"
            return body + str(sum(map(int, body[2:])) % 10)
        yy = issued.year % 100
        return {
            "food_filing": f"YB1{division}{seq:07d}",
            "food_workshop": f"豫食坊{division}{issued.year}{seq:05d}",
            "food_small_shop": f"豫食店{division}{issued.year}{seq:05d}",
            "drug_retail": f"豫DB{3750000 + seq}",
            "drug_wholesale": f"豫DA{3710000 + seq}",
            "device_filing": f"豫平市监械经营备{issued.year}{seq:04d}号",
            "special_equipment_use": f"{detail or '梯11'}豫D{seq:05d}({yy:02d})",
            "industrial_product": f"(豫)XK{13 + seq % 20:02d}-{seq % 1000:03d}-{seq:05d}",
            "inspection_testing": f"{yy:02d}1612{seq:06d}",
        }.get(kind_code, f"{kind_code}-{seq}")

    def licence_issuer(self, kind_code, division):
        if kind_code in ("industrial_product", "inspection_testing", "drug_wholesale"):
            return "河南省市场监督管理局" if kind_code != "drug_wholesale" else "河南省药品监督管理局"
        if kind_code in ("special_equipment_use", "device_business"):
            return "平顶山市市场监督管理局"
        return self.issuer.get(division, "平顶山市市场监督管理局")
