"""Authorisation matrix rows of core's pages outside ``CORE`` (joined in src/xuncha/tests/matrix.py)."""
