"""Full-text search backed by an index (docs/decisions/0012-list-indexes-and-fts.md).

``search_text`` gains every word's suffixes (see ``intake.search``); then on SQLite an FTS5 table of the
words, kept by triggers on ``intake_petition`` (contentless: the words stay in ``search_text``; a small map
table gives each petition's UUID an integer rowid that VACUUM cannot renumber), and on PostgreSQL a GIN index
over the words as a ``tsvector``.
"""

from typing import Any

from django.db import migrations, models

from xuncha.intake.fts import CREATE, DROP

MAX_WORD = 100  # intake.search.MAX_WORD when this was written


def _with_suffixes(text: str) -> str:
    found: dict[str, None] = {}
    for word in text.split():
        word = word[:MAX_WORD]
        for start in range(len(word)):
            found.setdefault(word[start:], None)
    return " ".join(found)


def add_suffixes(apps: Any, schema_editor: Any) -> None:
    Petition = apps.get_model("intake", "Petition")
    rows = Petition.objects.using(schema_editor.connection.alias).exclude(search_text="")
    batch = []
    for pk, text in list(rows.values_list("pk", "search_text")):
        batch.append(Petition(pk=pk, search_text=_with_suffixes(text)))
        if len(batch) == 2000:
            Petition.objects.bulk_update(batch, ["search_text"])
            batch = []
    Petition.objects.bulk_update(batch, ["search_text"])


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_petition_figures_index")]

    operations = [
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["inspection", "-received_at", "-number", "id"], name="petition_list_idx"),
        ),
        # Suffixes are never removed: a search over them finds the same as over the words alone.
        migrations.RunPython(add_suffixes, migrations.RunPython.noop),
        migrations.RunPython(
_run(CREATE), _run(DROP)
        ),
    ]
