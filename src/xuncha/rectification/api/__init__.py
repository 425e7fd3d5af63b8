"""API of rectification, a router per area (mounted in xuncha/api.py)."""
