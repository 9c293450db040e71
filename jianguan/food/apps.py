from django.apps import AppConfig


class FoodConfig(AppConfig):
    name = "jianguan.food"
    label = "food"
    verbose_name = "食品安全监管"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the food rules)
        from .home import card

        section = "食品安全监管"
        register(
            NavItem(section, "食品三小登记", "food:smalls_list", "food.view_smallregistration", icon="shop",
                    order=580),
            NavItem(section, "导入三小登记", "food:smalls_import", "food.manage_small",
                    icon="file-earmark-arrow-up", order=581),
        )
        home.register(card)
