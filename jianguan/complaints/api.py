from ninja import Router

from jianguan.api.auth import staff_auth

router = Router(tags=["complaints"], auth=staff_auth)
