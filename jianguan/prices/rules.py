"""Rules of price monitoring and epidemic-supply sampling. Imported from ``PricesConfig.ready``.

No national text fixes a percentage for 哄抬价格: the Price Law forbids driving prices up excessively, the penalty
rules punish it, and the SAMR guidance of 2022 leaves "明显高于" to the facts and to provincial measures. The limits
below are therefore platform defaults (confidence U) that a bureau sets from an effective date.
"""

from __future__ import annotations

from jianguan.core.rules import define

PRICE_LAW = "《中华人民共和国价格法》"
PENALTY = "《价格违法行为行政处罚规定》"

define("prices.rise_limits",
       {"staple": {"days": 7, "ratio": "0.30"}, "mask": {"days": 7, "ratio": "0.20"},
        "medicine": {"days": 7, "ratio": "0.20"}},
       "价格异常（涉嫌哄抬价格）预警：同一监测点同一商品的价格高于前若干天（days）内本点最低报价的倍数上限"
       "（1 + ratio）；按商品类别",
       source=f"{PRICE_LAW}第十四条第（三）项（不得捏造、散布涨价信息，哄抬价格，推动商品价格过高上涨）；"
              f"{PENALTY}第六条（哄抬价格的处罚）；市场监管总局《关于办理哄抬价格违法行为案件的指导意见》（2022年）"
              "（“明显高于”结合成本、涨幅认定）；天数、涨幅为本平台默认值",
       confidence="U")
define("prices.lookback_days", 60, "判断价格异常时读取的历史报价天数（须不少于各类别比较天数）",
       source="本平台默认值", confidence="U")
define("prices.sampling_objection_days", 15,
       "防疫用品（口罩、防护服）质量抽检结果异议期（日，自收到检验结果之日起）",
       source="《中华人民共和国产品质量法》第十五条（生产者、销售者对抽查检验的结果有异议的，可以自收到检验结果之日起"
              "十五日内申请复检）",
       confidence="C")
define("prices.board_days", 7, "公众价格公示板展示最近若干天的报价（天）", source="本平台默认值", confidence="U")
