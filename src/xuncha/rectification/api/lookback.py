"""API of rectification's lookback."""

from ninja import Router

router = Router(tags=["整改"])
