"""Tampering with the audit table as an operator with database access would."""

from typing import Any

from django.db import connection


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Run ``sql`` past the append-only trigger: on PostgreSQL as the superuser the tests connect as, who
    may switch triggers off for the session (the application role may not)."""
    on_postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if on_postgresql:
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if on_postgresql:
            cursor.execute("SET session_replication_role = DEFAULT")
