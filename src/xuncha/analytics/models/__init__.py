"""Models of 统计分析."""
