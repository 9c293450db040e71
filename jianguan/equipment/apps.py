from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "jianguan.equipment"
    label = "equipment"
    verbose_name = "特种设备"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal import records
        from jianguan.portal.menu import PortalItem, register_public
        from jianguan.registry import panels

        from . import credit_hooks, rules  # noqa: F401  (declares the equipment rules)
        from .home import due_card, entity_panel

        section = "特种设备"
        register(
            NavItem(section, "设备台账", "equipment:device_list", "equipment.view_device", icon="gear-wide-connected",
                    order=500),
            NavItem(section, "检验到期与超期", "equipment:due", "equipment.view_device", icon="alarm", order=501),
            NavItem(section, "责令改正（超期未检）", "equipment:orders", "equipment.view_device", icon="file-earmark-text",
                    order=501),
            NavItem(section, "作业人员证", "equipment:certificates", "equipment.view_device", icon="person-vcard",
                    order=502),
            NavItem(section, "事故隐患", "equipment:hazards", "equipment.view_device", icon="exclamation-octagon",
                    order=503),
            NavItem(section, "专项整治", "equipment:campaigns", "equipment.view_device", icon="clipboard2-check",
                    order=504),
            NavItem(section, "导入台账", "equipment:import", "equipment.import_device", icon="file-earmark-arrow-up",
                    order=505),
        )
        home.register(due_card)
        credit_hooks.register()  # hazards and accidents on the credit record and in the risk classes
        # an accident written (its penalty linked) rebuilds the user's stored public record
        records.ENTITY_SOURCES.setdefault("equipment.accident", lambda obj: [obj.device.entity_id])
        panels.register(entity_panel)
        register_public(PortalItem("电梯检验状态查询", "equipment_public:lifts", icon="building-up",
                                   description="按地址查询电梯的使用登记、维保单位和定期检验情况。", order=50))
