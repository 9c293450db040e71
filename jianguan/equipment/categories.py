"""The special equipment catalogue (特种设备目录, 原质检总局 2014 年第 114 号公告) and the parameters each kind of
device carries. Pure Python: the importer, the forms, the API and the schedule read the same table.

Codes are the catalogue's four-character codes (1000 boilers … 9000 ropeways; 7000 pipeline components and F000
safety accessories are in the catalogue but are not registered for use as devices, so they are refused here).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CATEGORIES: dict[str, str] = {
    "1000": "锅炉",
    "1100": "承压蒸汽锅炉",
    "1200": "承压热水锅炉",
    "1300": "有机热载体锅炉",
    "2000": "压力容器",
    "2100": "固定式压力容器",
    "2200": "移动式压力容器",
    "2300": "气瓶",
    "2400": "氧舱",
    "3000": "电梯",
    "3100": "曳引与强制驱动电梯",
    "3200": "液压驱动电梯",
    "3300": "自动扶梯与自动人行道",
    "3400": "其他类型电梯",
    "4000": "起重机械",
    "4100": "桥式起重机",
    "4200": "门式起重机",
    "4300": "塔式起重机",
    "4400": "流动式起重机",
    "4700": "门座式起重机",
    "4800": "升降机",
    "4D00": "机械式停车设备",
    "5000": "场（厂）内专用机动车辆",
    "5100": "机动工业车辆",
    "5200": "非公路用旅游观光车辆",
    "6000": "大型游乐设施",
    "6100": "观览车类",
    "6200": "滑行车类",
    "6300": "架空游览车类",
    "6400": "陀螺类",
    "6500": "飞行塔类",
    "6600": "转马类",
    "6700": "自控飞机类",
    "6800": "赛车类",
    "6900": "小火车类",
    "6A00": "碰碰车类",
    "6B00": "滑道类",
    "6D00": "水上游乐设施",
    "6E00": "无动力游乐设施",
    "8000": "压力管道",
    "8100": "长输管道",
    "8200": "公用管道",
    "8300": "工业管道",
    "9000": "客运索道",
    "9100": "客运架空索道",
    "9200": "客运缆车",
    "9300": "客运拖牵索道",
}
NOT_DEVICES = {"7000": "压力管道元件", "F000": "安全附件"}

FAMILIES = {
    "boiler": "1",
    "vessel": "21",
    "mobile_vessel": "22",
    "cylinder": "23",
    "oxygen_chamber": "24",
    "lift": "3",
    "crane": "4",
    "vehicle": "5",
    "ride": "6",
    "pipeline": "8",
    "ropeway": "9",
}


@functools.lru_cache(maxsize=1024)
def family(code: str) -> str:
    """The family a category belongs to (its schedule and parameters): longest matching prefix."""
    best = ""
    for name, prefix in FAMILIES.items():
        if code.startswith(prefix) and len(prefix) > len(FAMILIES.get(best, "")):
            best = name
    if code == "2000":
        return "vessel"
    return best


def label(code: str) -> str:
    return CATEGORIES.get(code, code)


def top_label(code: str) -> str:
    return CATEGORIES.get(code[:1] + "000", "")


def check_category(code: str) -> str | None:
    """None when ``code`` is a registrable category, else the reason, in Chinese."""
    code = (code or "").strip().upper()
    if code in CATEGORIES:
        return None
    if code in NOT_DEVICES:
        return f"类别代码 {code}（{NOT_DEVICES[code]}）不是办理使用登记的设备类别"
    return f"类别代码「{code}」不在特种设备目录中（如 3100 曳引与强制驱动电梯、2100 固定式压力容器）"


@dataclass(frozen=True)
class Param:
    key: str
    label: str
    unit: str = ""
    kind: str = "decimal"  # decimal / int / text / choice
    choices: tuple[tuple[str, str], ...] = ()
    minimum: Decimal | None = Decimal(0)


CYLINDER_KINDS = (
    ("lpg", "液化石油气钢瓶"),
    ("corrosive", "盛装腐蚀性气体"),
    ("general", "盛装一般气体"),
    ("inert", "盛装惰性气体"),
)
SAFETY_GRADES = (("1", "1级"), ("2", "2级"), ("3", "3级"), ("4", "4级"), ("5", "5级"))

#: family → (required parameters, optional parameters)
PARAMS: dict[str, tuple[tuple[Param, ...], tuple[Param, ...]]] = {
    "lift": (
        (Param("rated_load", "额定载重量", "kg", "int"), Param("rated_speed", "额定速度", "m/s")),
        (Param("floors", "层站数", "层", "int"),),
    ),
    "vessel": (
        (
            Param("design_pressure", "设计压力", "MPa"),
            Param("volume", "容积", "m³"),
            Param("medium", "介质", kind="text"),
            Param("safety_grade", "安全状况等级", kind="choice", choices=SAFETY_GRADES),
        ),
        (),
    ),
    "mobile_vessel": (
        (Param("design_pressure", "设计压力", "MPa"), Param("volume", "容积", "m³"), Param("medium", "介质", kind="text")),
        (),
    ),
    "cylinder": ((Param("cylinder_kind", "气瓶种类", kind="choice", choices=CYLINDER_KINDS),), (Param("volume", "容积", "L"),)),
    "boiler": (
        (Param("rated_evaporation", "额定蒸发量（热功率）", "t/h"), Param("rated_pressure", "额定工作压力", "MPa")),
        (),
    ),
    "crane": ((), (Param("rated_lifting", "额定起重量", "t"),)),
    "ride": ((), (Param("rated_passengers", "额定乘客人数", "人", "int"),)),
    "ropeway": ((), (Param("length", "线路长度", "m"),)),
    "pipeline": ((), (Param("length", "管道长度", "m"), Param("design_pressure", "设计压力", "MPa"))),
}
# Escalators and moving walks carry no rated load/speed of a car.
LIFT_WITHOUT_CAR = {"3300"}


def params_for(code: str) -> tuple[tuple[Param, ...], tuple[Param, ...]]:
    fam = family(code)
    required, optional = PARAMS.get(fam, ((), ()))
    if code in LIFT_WITHOUT_CAR:
        return (), required + optional
    return required, optional


def clean_params(code: str, raw: dict) -> tuple[dict, list[dict]]:
    """The parameters of a device of category ``code``, typed; and the problems ({field, message}) in Chinese."""
    required, optional = params_for(code)
    out: dict = {}
    problems: list[dict] = []
    for param in required + optional:
        value = raw.get(param.key)
        text = "" if value is None else str(value).strip()
        if not text:
            if param in required:
                problems.append({"field": param.key, "message": f"{label(code)}须填写{param.label}"})
            continue
        if param.kind == "text":
            out[param.key] = text[:60]
        elif param.kind == "choice":
            codes = {c for c, _ in param.choices}
            by_label = {lab: c for c, lab in param.choices}
            text = by_label.get(text, text)
            if text not in codes:
                allowed = "、".join(lab for _, lab in param.choices)
                problems.append({"field": param.key, "message": f"{param.label}「{value}」无效，应为：{allowed}"})
            else:
                out[param.key] = text
        else:
            if param.unit and text.endswith(param.unit):
                text = text[: -len(param.unit)].strip()
            try:
                number = Decimal(text)
            except InvalidOperation:
                unit = f"（单位 {param.unit}）" if param.unit else ""
                problems.append({"field": param.key, "message": f"{param.label}「{value}」不是数字{unit}"})
                continue
            if not number.is_finite() or (param.minimum is not None and number <= param.minimum):
                problems.append({"field": param.key, "message": f"{param.label}须大于 0"})
                continue
            if param.kind == "int":
                if number != number.to_integral_value():
                    problems.append({"field": param.key, "message": f"{param.label}须为整数"})
                    continue
                out[param.key] = int(number)
            else:
                out[param.key] = str(number.normalize()) if number == number.to_integral_value() else str(number)
    return out, problems


def params_display(code: str, params: dict) -> list[tuple[str, str]]:
    required, optional = params_for(code)
    rows = []
    for param in required + optional:
        if param.key in params:
            value = params[param.key]
            if param.kind == "choice":
                value = dict(param.choices).get(value, value)
            rows.append((param.label, f"{value} {param.unit}".strip()))
    return rows
