"""Rows of the authorisation matrix for 统计分析 (registered in xuncha.tests.matrix)."""
