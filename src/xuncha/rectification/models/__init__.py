"""Rectification's models, one module per area; every name a module lists in ``__all__``."""

from .items import *  # noqa: F403
from .lookback import *  # noqa: F403
from .plans import *  # noqa: F403
from .publication import *  # noqa: F403
from .reports import *  # noqa: F403
from .self_check import *  # noqa: F403
from .supervision import *  # noqa: F403
