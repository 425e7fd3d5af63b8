"""Every state change of fieldwork, one module per area; each function is an audited ``@action``."""
