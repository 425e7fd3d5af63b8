"""Fieldwork's API routers, one module per area (added to the NinjaAPI in xuncha/api.py)."""
