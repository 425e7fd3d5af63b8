"""API of rectification's supervision."""

from ninja import Router

router = Router(tags=["整改"])
