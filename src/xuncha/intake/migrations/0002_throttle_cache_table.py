"""The table of the portal throttle's cache (settings.CACHES["throttle"], a DatabaseCache).

Made here rather than by a separate ``createcachetable`` step, so that ``migrate`` (and every test
database) has it; see docs/decisions/0005-portal-throttle.md.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management import call_command
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_cache_tables(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    quote = schema_editor.connection.ops.quote_name
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, BaseDatabaseCache):
            # The table name as createcachetable reads it (the stubs do not declare it).
            schema_editor.execute(f"DROP TABLE IF EXISTS {quote(cache._table)}")  # type: ignore[attr-defined]


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables, elidable=False)]
