"""Every state change of intake, one module per area; each function is an audited ``@action``."""
