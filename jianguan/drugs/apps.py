from django.apps import AppConfig


class DrugsConfig(AppConfig):
    name = "jianguan.drugs"
    label = "drugs"
    verbose_name = "药品医疗器械化妆品监管"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.inspections.queries import register_stratum_raiser
        from jianguan.portal.menu import PortalItem, register_public

        from . import opendata, rules  # noqa: F401  (rules declares the drug rules)
        from .home import card
        from .services import focus_raise

        section = "药品医疗器械化妆品"
        register(
            NavItem(section, "监管对象", "drugs:objects_list", "drugs.view_supervisedobject", icon="capsule",
                    order=620),
            NavItem(section, "重点监管品种", "drugs:focus_list", "drugs.view_supervisedobject", icon="bullseye",
                    order=621),
            NavItem(section, "专项检查", "drugs:campaigns", "drugs.view_supervisedobject", icon="clipboard-check",
                    order=622),
            NavItem(section, "不良反应/事件报告", "drugs:events_list", "drugs.view_supervisedobject",
                    icon="exclamation-diamond", order=623),
        )
        home.register(card)
        register_public(PortalItem("药店和医疗器械经营企业", "drugs_public:outlets", icon="capsule",
                                   description="持证药品零售企业、医疗器械经营企业及其抽查结果，药品专项检查结果，"
                                               "不良反应报告途径。", order=54))
        register_stratum_raiser(focus_raise)
        opendata.register()
