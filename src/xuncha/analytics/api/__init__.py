"""API of 统计分析, one router per area (added in xuncha/api.py)."""
