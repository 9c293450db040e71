from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "jianguan.sampling"
    label = "sampling"
    verbose_name = "监督抽查"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal import records
        from jianguan.portal.menu import PortalItem, register_public
        from jianguan.registry import panels

        from . import credit_hooks, opendata, rules  # noqa: F401  (rules declares the rules and the product sector)
        from .home import card, entity_panel

        register(
            NavItem("监督抽查", "抽查计划", "sampling:plans", "sampling.view_plan", icon="eyedropper", order=520),
            NavItem("监督抽查", "样品", "sampling:samples", "sampling.view_plan", icon="box-seam", order=521),
            NavItem("监督抽查", "不合格后处理", "sampling:followup", "sampling.view_plan", icon="exclamation-diamond",
                    order=522),
        )
        home.register(card)
        panels.register(entity_panel)
        register_public(PortalItem("监督抽查结果", "sampling_public:index", icon="eyedropper",
                                   description="产品质量监督抽查计划、抽取结果包和检验结论。", order=51))
        credit_hooks.register()
        opendata.register()
        # a sample written or audited rebuilds its producer's stored public record (portal.records wires the
        # signals of every source named here when the portal app becomes ready, after this one)
        records.ENTITY_SOURCES.setdefault("sampling.sample", lambda obj: [obj.entity_id])
