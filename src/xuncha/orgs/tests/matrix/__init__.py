"""Authorisation matrix rows of the orgs app's areas outside ``ORGS`` (joined in tests/matrix.py)."""
