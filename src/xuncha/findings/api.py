from ninja import Router

router = Router(tags=["问题底稿与线索"])
