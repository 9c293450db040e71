import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
django_application = get_wsgi_application()

from jianguan.api.handler import with_open_data_handler  # noqa: E402  (after Django is set up)

application = with_open_data_handler(django_application)


def warm() -> None:
    """Do at import what the first request of each process would otherwise pay for (~2 s on 2 cores: every app's
    views and API routers imported through the URLconf, the base templates compiled). ``jianguan serve`` runs
    gunicorn with ``--preload``: this runs once in the master and every worker, including those a graceful reload
    (HUP) or a crash starts, is forked warm. No database connection may survive into the fork."""
    from django.db import connections
    from django.template import TemplateDoesNotExist, loader
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.resolve("/healthz")
    resolver.reverse_dict  # noqa: B018  (populates the reverse lookup of every URL name)
    for name in ("base.html", "workbench/base.html", "portal/base.html", "portal/home.html", "404.html"):
        try:
            loader.get_template(name)
        except TemplateDoesNotExist:
            pass
    # Closed so none is shared across the fork. A connection inside a transaction is left alone: only a test imports
    # this module while holding one, and closing it would end the test's transaction under it.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


warm()
