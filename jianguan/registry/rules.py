"""Rules of the registry (see ``jianguan.core.rules``). Imported from ``RegistryConfig.ready``."""

from jianguan.core.rules import define

define(
    "registry.licence_expiry_warning_days",
    60,
    "许可证到期提醒提前天数（日历日）",
    source="本平台默认值；各地可按许可续期办理时限调整（食品经营许可应在有效期届满30个工作日前申请延续）",
    confidence="U",
)
