"""The baseline of bench_portal's load test: the record endpoint as it was before records were stored — built per
request (ten queries and a render) behind the full middleware stack. Same views, same URL, same gunicorn.

    gunicorn --pythonpath bench portal_naive_wsgi:application
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")

from jianguan.wsgi import django_application  # noqa: E402  (the full handler, every path; sets Django up)

# isort: split
from jianguan.portal import public, records  # noqa: E402


def built_per_request(code: str):
    entity = public.get_public_entity(code) if len(code) <= 40 else None
    if entity is None:
        return None
    body = records.render(public.record(entity))
    return body, records.etag_of(body)


records.get = built_per_request
application = django_application
