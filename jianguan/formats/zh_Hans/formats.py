"""Django's zh_Hans formats with the thousands separator Chinese statistics tables use (12,345.60): Django's own
has none, so ``intcomma`` and ``floatformat:"2g"`` printed 1234567 and 12345.60 while meaning to group. Plain
``{{ n }}`` and form inputs are not grouped (USE_THOUSAND_SEPARATOR stays off)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
