"""Rules of enforcement (see ``jianguan.core.rules``). Imported from ``EnforcementConfig.ready``."""

from jianguan.core.rules import define

define("enforcement.lead_filing_days", 15,
       "案源（线索）核查并决定是否立案的期限（自发现之日起的工作日；经批准可延长 15 个工作日）",
       source="市场监督管理行政处罚程序规定（总局令第2号）第十八条；docs/domain §5", confidence="C")
