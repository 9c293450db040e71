"""Rules of metrology supervision: the compulsory verification interval of each kind of instrument (强制检定周期).
Intervals come from each instrument's verification regulation (JJG); they are defaults a bureau can correct."""

from __future__ import annotations

from jianguan.core.rules import define

KINDS = {
    "fuel_dispenser": "燃油加油机",
    "taxi_meter": "出租车计价器",
    "trade_scale": "贸易结算用电子计价秤",
    "platform_scale": "贸易结算用电子汽车衡",
    "bp_meter": "医用血压计",
    "gas_meter": "贸易结算用燃气表",
}
LAW = "《中华人民共和国计量法》第九条"

define("metrology.verification_months", {"fuel_dispenser": 6, "taxi_meter": 12, "trade_scale": 12,
                                         "platform_scale": 12, "bp_meter": 12, "gas_meter": 72},
       "强制检定计量器具的检定周期（月，按器具种类）",
       source=f"{LAW}（强制检定）；周期见各检定规程（JJG 443 燃油加油机、JJG 517 出租汽车里程计价表等）", confidence="U")
define("metrology.due_soon_days", 30, "「即将到期」名单的天数", source="本平台默认值", confidence="U")
define("metrology.import_max_bytes", 20 * 1024 * 1024, "导入计量器具台账文件的大小上限（字节；仅接受 .xlsx）",
       source="本平台默认值", confidence="U")
