"""API of rectification's publication."""

from ninja import Router

router = Router(tags=["整改"])
