from ninja import Router

from jianguan.api.auth import staff_auth

router = Router(tags=["credit"], auth=staff_auth)
