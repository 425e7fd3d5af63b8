"""Authorisation matrix rows of fieldwork, one module per area (joined in src/xuncha/tests/matrix.py)."""
