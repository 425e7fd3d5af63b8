"""Fieldwork's models, one module per area (``apps.AREAS``); every name a module lists in ``__all__``."""

from .activities import *  # noqa: F403
from .checks import *  # noqa: F403
from .documents import *  # noqa: F403
from .interviews import *  # noqa: F403
from .notices import *  # noqa: F403
from .surveys import *  # noqa: F403
