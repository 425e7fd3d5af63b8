AUDIT_ACTIONS: dict[str, str] = {}
