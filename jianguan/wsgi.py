import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
django_application = get_wsgi_application()

from jianguan.api.handler import with_open_data_handler  # noqa: E402  (after Django is set up)

application = with_open_data_handler(django_application)
