"""涉企违规收费 checks: the kinds of charging bodies a campaign covers and the checklist of each (pure data).

Each item names what is checked and the rule it rests on. Sources: 《中华人民共和国价格法》第十二条 (government
prices), 第十三条 (明码标价), 第十四条 (unfair pricing); 《价格违法行为行政处罚规定》; 《行业协会商会综合监管办法
（试行）》; 《商业银行服务价格管理办法》; 《港口收费计费办法》; and the State Council's notices on clearing charges
on enterprises (涉企违规收费专项整治).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    source: str


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    items: tuple[Item, ...]

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)


PRICE_LAW = "《中华人民共和国价格法》"
KINDS = {k.code: k for k in (
    Kind("gov_affiliated", "政府部门下属单位", (
        Item("gov_cancelled", "收取已取消、停征或降低标准的行政事业性收费", f"{PRICE_LAW}第十二条"),
        Item("gov_intermediary", "依托行政审批强制企业接受指定的有偿中介服务", "国务院清理规范行政审批中介服务有关规定"),
        Item("gov_no_service", "只收费不服务或少服务多收费", f"{PRICE_LAW}第十四条"),
        Item("gov_display", "未公示收费项目、依据和标准", f"{PRICE_LAW}第十三条"),
    )),
    Kind("association", "行业协会商会", (
        Item("assoc_forced_join", "强制企业入会或阻碍退会并收取会费", "《行业协会商会综合监管办法（试行）》"),
        Item("assoc_sponsorship", "强制或变相强制企业赞助、捐赠、订购刊物", "《行业协会商会综合监管办法（试行）》"),
        Item("assoc_awards", "利用评比、达标、表彰、培训等向企业收费", "《行业协会商会综合监管办法（试行）》"),
        Item("assoc_monopoly", "利用行政资源或行业影响力强制服务并收费", f"{PRICE_LAW}第十四条"),
    )),
    Kind("bank", "商业银行", (
        Item("bank_cancelled", "收取已取消或明令减免的服务费用（如小微企业账户管理费）", "《商业银行服务价格管理办法》"),
        Item("bank_shifted", "贷款时将应由银行承担的费用转嫁给企业（抵押登记、评估等）", "《商业银行服务价格管理办法》"),
        Item("bank_bundled", "贷款捆绑搭售理财、保险等产品或收费", f"{PRICE_LAW}第十四条"),
        Item("bank_display", "未在营业场所和网站公示服务项目和价格", f"{PRICE_LAW}第十三条"),
    )),
    Kind("utility", "水电气暖公用事业", (
        Item("util_connection", "向用户收取产权分界点以外的接入工程费用", f"{PRICE_LAW}第十二条"),
        Item("util_resale", "转供电、转供水主体在电价、水价外加价收费", f"{PRICE_LAW}第十二条"),
        Item("util_designated", "强制用户选择指定施工单位或购买指定设备材料", f"{PRICE_LAW}第十四条"),
        Item("util_display", "未公示收费项目和标准", f"{PRICE_LAW}第十三条"),
    )),
    Kind("port", "港口口岸", (
        Item("port_over", "超出政府定价或公示标准收取港口作业包干费等", "《港口收费计费办法》"),
        Item("port_forced", "强制提供拖轮、理货等服务并收费", "《港口收费计费办法》"),
        Item("port_unlisted", "收取未列入收费目录清单的费用", f"{PRICE_LAW}第十三条"),
        Item("port_cut", "未执行降费政策", f"{PRICE_LAW}第十二条"),
    )),
)}
KIND_CHOICES = tuple((k.code, k.label) for k in KINDS.values())
