from ninja import Router

router = Router(tags=["了解工作"])
