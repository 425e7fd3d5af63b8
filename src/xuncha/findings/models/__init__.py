"""Findings' models, one module per area; every name a module lists in ``__all__``."""

from .clues import *  # noqa: F403
from .findings import *  # noqa: F403
