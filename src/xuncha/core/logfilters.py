"""Filters for the LOGGING setting."""

import logging


class OneLineClientErrors(logging.Filter):
    """Django logs a refused request (403 from PermissionDenied) with the exception's traceback; a 4xx is
    the user's or a prober's doing, not a fault of ours, so it keeps its one line and drops the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
