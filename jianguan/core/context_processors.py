from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from .navigation import menu_for
from .roles import ROLE_NAMES, role_codes

gettext_noop("平顶山市市场监督管理局")  # the demo bureau's name, for the English catalogue


def workbench(request):
    user = getattr(request, "user", None)
    ctx = {"bureau_name": gettext(settings.JIANGUAN_BUREAU_NAME)}
    if user is not None and user.is_authenticated and request.path.startswith("/workbench/"):
        profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
        ctx.update(
            nav_menu=menu_for(user),
            user_unit=profile.unit if profile else None,
            user_roles=[gettext(ROLE_NAMES.get(code, code)) for code in role_codes(user)],
        )
    return ctx
