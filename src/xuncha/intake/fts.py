"""The full-text index of petitions' words, per database (docs/decisions/0012-list-indexes-and-fts.md).

On SQLite an FTS5 table of the words of ``intake_petition.search_text``, kept by triggers (contentless: the
words stay in ``search_text``; a small map table gives each petition's UUID an integer rowid that VACUUM
cannot renumber). On PostgreSQL a GIN index over the words as a ``tsvector``. ``intake.search`` queries
them. Made by migration 0009; as SQLite rebuilds a table to alter it (dropping its triggers), ``ensure``
runs after every ``migrate`` and rebuilds the index if its triggers are gone.
"""

import string
from typing import Any

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

# Only spaces (and control characters) separate words: ASCII punctuation is part of a word, as for LIKE,
# and ASCII letters fold to lower case, as SQLite's LIKE does.
_TOKENIZE = "ascii tokenchars '{}'".format(string.punctuation.replace("'", "''"))
_TRIGGERS = ("intake_petition_fts_insert", "intake_petition_fts_update", "intake_petition_fts_delete")

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER intake_petition_fts_insert AFTER INSERT ON intake_petition BEGIN
        INSERT INTO intake_petition_fts_doc (petition_id) VALUES (new.id);
        INSERT INTO intake_petition_fts (rowid, words)
            VALUES ((SELECT docid FROM intake_petition_fts_doc WHERE petition_id = new.id), new.search_text);
    END""",
    """CREATE TRIGGER intake_petition_fts_update AFTER UPDATE OF search_text ON intake_petition
    WHEN old.search_text IS NOT new.search_text BEGIN
        INSERT INTO intake_petition_fts (intake_petition_fts, rowid, words)
            VALUES ('delete', (SELECT docid FROM intake_petition_fts_doc WHERE petition_id = old.id),
                    old.search_text);
        INSERT INTO intake_petition_fts (rowid, words)
            VALUES ((SELECT docid FROM intake_petition_fts_doc WHERE petition_id = new.id), new.search_text);
    END""",
    """CREATE TRIGGER intake_petition_fts_delete AFTER DELETE ON intake_petition BEGIN
        INSERT INTO intake_petition_fts (intake_petition_fts, rowid, words)
            VALUES ('delete', (SELECT docid FROM intake_petition_fts_doc WHERE petition_id = old.id),
                    old.search_text);
        DELETE FROM intake_petition_fts_doc WHERE petition_id = old.id;
    END""",
]
_SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in _TRIGGERS),
    "DROP TABLE IF EXISTS intake_petition_fts",
    "DROP TABLE IF EXISTS intake_petition_fts_doc",
]
_SQLITE_CREATE = [
    *_SQLITE_DROP,
    "CREATE TABLE intake_petition_fts_doc (docid INTEGER PRIMARY KEY, petition_id char(32) NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE intake_petition_fts USING fts5(words, content='', detail=none, columnsize=0, "
    'tokenize="{}")'.format(_TOKENIZE.replace('"', '""')),
    "INSERT INTO intake_petition_fts_doc (petition_id) SELECT id FROM intake_petition",
    "INSERT INTO intake_petition_fts (rowid, words) SELECT d.docid, p.search_text "
    "FROM intake_petition p JOIN intake_petition_fts_doc d ON d.petition_id = p.id",
    *_SQLITE_TRIGGERS,
]
_POSTGRESQL_INDEX = (
    "CREATE INDEX IF NOT EXISTS intake_petition_words ON intake_petition USING gin "
    "(array_to_tsvector(array_remove(string_to_array(search_text, ' '), '')))"
)
MIGRATION = ("intake", "0009_petition_fts")
CREATE = {"sqlite": _SQLITE_CREATE, "postgresql": [_POSTGRESQL_INDEX]}
DROP = {"sqlite": _SQLITE_DROP, "postgresql": ["DROP INDEX IF EXISTS intake_petition_words"]}


def present(using: str = "default") -> bool:
    """Whether the index is in place and kept (on SQLite: its three triggers exist)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
                _TRIGGERS,
            )
            return bool(cursor.fetchone()[0] == len(_TRIGGERS))
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'intake_petition_words'")
            return bool(cursor.fetchone()[0] == 1)
    return True


def ensure(using: str = "default", **_: Any) -> None:
    """(Re)build the index when it is missing, e.g. after SQLite rebuilt ``intake_petition``."""
    connection = connections[using]
    if MIGRATION not in MigrationRecorder(connection).applied_migrations() or present(using):
        return
    with connection.cursor() as cursor:
        for statement in CREATE.get(connection.vendor, []):
            cursor.execute(statement)
