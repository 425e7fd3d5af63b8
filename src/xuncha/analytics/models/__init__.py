"""Models of 统计分析."""

from .common import Recommendation, RecommendationBasis
from .filings import Filing, FilingKind
from .radar import RadarSettings
from .rollups import Dimension, ItemTally, Tally

__all__ = [
    "Dimension",
    "Filing",
    "FilingKind",
    "ItemTally",
    "RadarSettings",
    "Recommendation",
    "RecommendationBasis",
    "Tally",
]
