"""Authorisation matrix rows of the rounds app's areas (joined in src/xuncha/tests/matrix.py)."""
