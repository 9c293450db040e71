"""The Pingdingshan demo: each app registers a step; ``jianguan demo`` runs them in order, idempotently."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models, transaction

from . import audit, bulk
from .models import Division, OrgUnit, StaffProfile
from .roles import sync_roles

DEMO_PASSWORD = "jianguan-demo-2026"
STEPS: list[tuple[int, str, Callable]] = []


@functools.cache
def demo_password_hash() -> str:
    """``DEMO_PASSWORD`` hashed once per process; every demo login gets this hash (``user.password = …``).

    PBKDF2 is slow on purpose (~0.3 s a hash on 2 cores): hashing afresh for each of the ~90 demo accounts was half
    of ``jianguan demo``. Sharing one salt costs nothing here: the password is printed on the console anyway.
    """
    return make_password(DEMO_PASSWORD)


def step(order: int, label: str):
    """Register ``fn(*, today, stdout) -> dict`` as a step of ``jianguan demo``, run in ``order``.

    The command runs each step in one transaction (all of it or none) and shows its label and time. A step must be
    idempotent (a second ``jianguan demo`` adds nothing) and fast: write many rows with ``bulk_add`` (or
    ``registry.bulk.insert``), not one ``save()`` and one audit entry per row. SMS the step's services send go to
    the outbox file (var/outbox/), counted in one line at the end.
    """

    def deco(fn):
        STEPS.append((order, label, fn))
        return fn

    return deco


def bulk_add(objs: Sequence[models.Model], *, action: str, actor="demo", batch_size: int = 1000) -> list:
    """Insert demo rows set-based and audit them once: ``core.bulk.create`` (``bulk_create``'s rows, one prepared
    INSERT run per row on SQLite; no ``save()``, no signals, no
    audit entry per row) and ONE audit entry ``action`` naming the model and the number of rows. Runs inside the
    step's transaction. ``bulk_create`` sends no ``post_save``: rows that feed the stored public records need one
    ``portal.records.invalidate(entity_ids)`` afterwards.

        bulk_add([Licence(entity=e, …) for e in entities], action="food.demo.licences_loaded")
    """
    objs = list(objs)
    if not objs:
        return []
    model = type(objs[0])
    created = bulk.create(objs, batch_size=batch_size)
    audit.record(
        actor=actor,
        action=action,
        object_type=model._meta.label_lower,
        object_repr=f"演示数据：{model._meta.verbose_name} {len(objs)} 条"[:200],
        changes={"rows": [None, len(objs)]},
    )
    return created


def load_divisions() -> None:
    path = Path(__file__).parent / "data" / "divisions.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:  # parents precede children in the file
        Division.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": int(row["level"]), "parent_id": row["parent"] or None},
        )


CITY = ("410400", "平顶山市市场监督管理局", "平顶山市监局", "平市监")
DEPARTMENTS = [
    ("DJ", "登记注册科"),
    ("XY", "信用监督管理科"),
    ("ZF", "综合行政执法支队"),
    ("SP", "食品安全监督管理科"),
    ("YP", "药品监督管理科"),
    ("TZ", "特种设备安全监察科"),
    ("ZL", "产品质量安全监督管理科"),
    ("JL", "计量科"),
    ("BZ", "标准化科"),
    ("ZC", "知识产权科"),
    ("XB", "消费者权益保护科（12315）"),
    ("BG", "办公室"),
    ("FG", "法规科"),
]
# (division code, name, short, doc prefix, abbreviation for logins, stations)
DISTRICTS = [
    ("410402", "新华区", "新华区局", "新市监", "xh", ["西高皇", "焦店", "中兴路"]),
    ("410403", "卫东区", "卫东区局", "卫市监", "wd", ["东安路", "北环路", "蒲城"]),
    ("410404", "石龙区", "石龙区局", "石市监", "sl", ["高庄", "龙兴"]),
    ("410411", "湛河区", "湛河区局", "湛市监", "zh", ["曹镇", "北渡", "九里山"]),
    ("410421", "宝丰县", "宝丰县局", "宝市监", "bf", ["城关", "周庄", "杨庄"]),
    ("410422", "叶县", "叶县局", "叶市监", "yx", ["昆阳", "任店", "龙泉"]),
    ("410423", "鲁山县", "鲁山县局", "鲁市监", "ls", ["琴台", "下汤", "张良"]),
    ("410425", "郏县", "郏县局", "郏市监", "jx", ["龙山", "堂街", "安良"]),
    ("410481", "舞钢市", "舞钢市局", "舞市监", "wg", ["垭口", "尚店", "八台"]),
    ("410482", "汝州市", "汝州市局", "汝市监", "rz", ["风穴路", "钟楼", "临汝"]),
]


def build_org() -> dict[str, OrgUnit]:
    """The city bureau, its departments, the ten district/county bureaus and their stations."""
    load_divisions()
    units: dict[str, OrgUnit] = {}

    def upsert(code, **fields):
        unit = OrgUnit.objects.filter(code=code).first() or OrgUnit(code=code)
        for k, v in fields.items():
            setattr(unit, k, v)
        unit.save()
        units[code] = unit
        return unit

    code, name, short, prefix = CITY
    city = upsert(
        code,
        name=name,
        short_name=short,
        doc_prefix=prefix,
        kind=OrgUnit.Kind.CITY,
        parent=None,
        division_id="410400",
        sort=0,
    )
    for i, (abbr, dept) in enumerate(DEPARTMENTS, 1):
        upsert(
            f"410400{abbr}",
            name=f"市局{dept}",
            short_name=dept,
            doc_prefix=prefix,
            kind=OrgUnit.Kind.DEPARTMENT,
            parent=city,
            division_id="410400",
            sort=i,
        )
    for i, (div, dname, short, prefix, _abbr, stations) in enumerate(DISTRICTS, 1):
        district = upsert(
            div,
            name=f"{dname}市场监督管理局",
            short_name=short,
            doc_prefix=prefix,
            kind=OrgUnit.Kind.DISTRICT,
            parent=city,
            division_id=div,
            sort=100 + i,
        )
        for j, st in enumerate(stations, 1):
            upsert(
                f"{div}{j:02d}",
                name=f"{dname}{st}市场监管所",
                short_name=f"{st}所",
                doc_prefix=prefix,
                kind=OrgUnit.Kind.STATION,
                parent=district,
                division_id=div,
                sort=j,
            )
    return units


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = [
    "建国",
    "卫东",
    "红梅",
    "志强",
    "海燕",
    "晓明",
    "丽娟",
    "国庆",
    "文杰",
    "秀英",
    "伟",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "鹏",
    "华",
    "玉兰",
    "飞",
    "丹",
    "辉",
]


def _person(i: int) -> str:
    return SURNAMES[(i * 7) % len(SURNAMES)] + GIVEN[(i * 11) % len(GIVEN)]


def one_login_per_kind() -> list[dict]:
    """The demo staff specs (``demo_staff_specs``) reduced to one login per distinct (roles, unit level), in the
    order the demo prints them, the three administrators left out (they sign in with a second factor; their pages
    have their own tests): whom the browser sweep and ``bench/bench_workbench.py`` act as."""
    from jianguan.core.roles import ADMIN_ROLES

    seen, chosen = set(), []
    for spec in demo_staff_specs():
        key = (tuple(sorted(spec["roles"])), len(spec["unit"]))
        if key not in seen and not ADMIN_ROLES & set(spec["roles"]):
            seen.add(key)
            chosen.append(spec)
    return chosen


def demo_staff_specs() -> list[dict]:
    """(username, name, unit code, roles, title, credential?) for every demo login."""
    specs = []

    def add(username, unit, roles, title, credential=True):
        specs.append({"username": username, "unit": unit, "roles": roles, "title": title, "credential": credential})

    add("leader", "410400", ["bureau_leader"], "局长")
    add("deputy", "410400", ["bureau_leader"], "副局长")
    add("sysadmin", "410400BG", ["system_admin"], "系统管理员", False)
    add("secadmin", "410400BG", ["security_admin"], "安全管理员", False)
    add("auditadmin", "410400BG", ["audit_admin"], "安全审计员", False)
    add("dj_head", "410400DJ", ["department_head", "registrar"], "科长")
    add("dj_clerk", "410400DJ", ["registrar"], "登记员", False)
    add("xy_officer", "410400XY", ["credit_officer"], "信用监管员")
    add("zf_head", "410400ZF", ["department_head", "case_officer"], "支队长")
    add("zf_officer1", "410400ZF", ["case_officer", "inspector"], "执法队员")
    add("zf_officer2", "410400ZF", ["case_officer", "inspector"], "执法队员")
    add("fg_reviewer", "410400FG", ["legal_reviewer"], "法制审核员")
    add("ts_handler", "410400XB", ["complaint_handler"], "12315 受理员")
    add("sp_supervisor", "410400SP", ["food_supervisor", "inspector"], "食品监管员")
    add("yp_supervisor", "410400YP", ["drug_supervisor", "inspector"], "药品监管员")
    add("tz_supervisor", "410400TZ", ["equipment_supervisor", "inspector"], "特种设备安全监察员")
    add("zl_supervisor", "410400ZL", ["quality_supervisor", "inspector"], "质量监管员")
    add("jl_supervisor", "410400JL", ["metrology_supervisor", "inspector"], "计量监管员")
    add("jg_supervisor", "410400ZF", ["price_supervisor", "inspector"], "价格监测员")
    for div, _dname, _short, _prefix, abbr, stations in DISTRICTS:
        add(f"{abbr}_head", div, ["department_head", "case_officer"], "局长")
        add(f"{abbr}_case", div, ["case_officer", "inspector"], "执法人员")
        add(f"{abbr}_12315", div, ["complaint_handler"], "投诉举报受理员", False)
        add(f"{abbr}_inspector", f"{div}01", ["inspector"], "所长")
        add(f"{abbr}_inspector2", f"{div}01", ["inspector", "food_supervisor"], "监管员")
        if len(stations) > 1:
            add(f"{abbr}_inspector3", f"{div}02", ["inspector"], "监管员")
    # One expired credential, so the "no valid credential" rules have a demo case.
    specs.append(
        {
            "username": "xh_expired",
            "unit": "41040202",
            "roles": ["inspector"],
            "title": "监管员",
            "credential": "expired",
        }
    )
    # Appended (not inserted) so the staff codes of the logins above stay the same.
    add("zc_officer", "410400ZC", ["ip_officer"], "知识产权科科员", False)
    add("zl_quality", "410400ZL", ["quality_officer", "certification_supervisor"], "质量发展和认证监管科员", False)
    # Appended last so that the staff codes of the logins above keep their numbers.
    add("bg_duban", "410400BG", ["supervision_office"], "督查专员", False)
    add("bg_head", "410400BG", ["department_head"], "办公室主任", False)
    add("zc_head", "410400ZC", ["department_head"], "科长", False)
    add("bz_head", "410400BZ", ["department_head"], "科长", False)
    add("bz_officer", "410400BZ", ["standards_officer"], "标准化科科员", False)
    add("online_monitor", "410400ZF", ["online_monitor"], "网络交易和广告监测员", False)
    add("jg_price", "410400ZF", ["price_inspector"], "价格监督检查员", False)
    add("zf_dajia", "410400ZF", ["anti_counterfeit", "case_officer", "inspector"], "打假专项队员")
    return specs


#: The 专业领域 a demo inspector's sector role stands for, in the words of the field's help text (食品,特种设备) —
#: the list of inspectors showed the role codes (food_supervisor).
SPECIALTIES = {"food_supervisor": "食品", "equipment_supervisor": "特种设备", "drug_supervisor": "药品",
               "quality_supervisor": "产品质量", "certification_supervisor": "认证认可与检验检测",
               "price_supervisor": "价格", "metrology_supervisor": "计量"}


def build_staff(units: dict[str, OrgUnit], today: dt.date) -> list[dict]:
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.all()}
    out = []
    for i, spec in enumerate(demo_staff_specs(), 1):
        unit = units[spec["unit"]]
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = User(username=spec["username"])
            user.password = demo_password_hash()
        user.first_name = _person(i)
        user.is_active = True
        user.is_staff = "system_admin" in spec["roles"]  # only the system admin uses /admin/
        user.save()
        user.groups.set([groups[r] for r in spec["roles"]])
        cred = spec["credential"]
        expiry = (
            (today - dt.timedelta(days=30))
            if cred == "expired"
            else (dt.date(today.year + 3, 12, 31) if cred else None)
        )
        StaffProfile.objects.update_or_create(
            user=user,
            defaults={
                "staff_code": f"{unit.code[:6]}-{i:03d}",
                "unit": unit,
                "title": spec["title"],
                "phone": f"1390375{i:04d}",
                "credential_no": f"豫{unit.code[:6]}{i:05d}" if cred else "",
                "credential_expiry": expiry,
                "specialties": ",".join(SPECIALTIES[r] for r in spec["roles"] if r in SPECIALTIES),
            },
        )
        out.append({"username": spec["username"], "name": user.first_name, "unit": unit.name, "roles": spec["roles"]})
    return out


@step(0, "组织机构与工作人员")
def demo_core(*, today: dt.date, stdout) -> dict:
    with transaction.atomic():
        sync_roles()
        units = build_org()
        staff = build_staff(units, today)
    return {"units": units, "staff": staff}
