"""Models of 统计分析."""

from .radar import RadarSettings

__all__ = ["RadarSettings"]
