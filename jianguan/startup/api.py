from ninja import Router

from jianguan.api.auth import staff_auth

router = Router(tags=["startup"], auth=staff_auth)
