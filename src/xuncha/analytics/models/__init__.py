"""Models of 统计分析."""

from .common import Recommendation, RecommendationBasis
from .filings import Filing, FilingKind
from .radar import RadarSettings

__all__ = ["Filing", "FilingKind", "RadarSettings", "Recommendation", "RecommendationBasis"]
