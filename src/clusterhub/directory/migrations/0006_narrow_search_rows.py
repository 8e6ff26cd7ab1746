"""PostgreSQL: the search documents' long values kept out of their rows (TOAST), so that
reading a word's organisations reads narrow rows.

A GIN index gives the rows' places; the organisation ids come from the rows, which
carried the words, the body and the vector inline (1.6 KB each: 158 MB at 100,000
profiles). Out of line, the rows take 11 MB, and a common word's first read takes a
third to a fifth of the time (docs/performance.md); the vector is read only to rank a
page or check a phrase, which cost the same either way. Rows written from now on are
narrow; the rows already there are made narrow by rewriting them and compacting the
table, which locks it (docs/deploy.md, "Upgrades"): not done here, where the old
workers keep serving. SQLite's FTS5 keeps its own index: nothing to do there.
"""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE directory_searchdocument SET (toast_tuple_target = 128)",
    "ALTER TABLE directory_searchdocument ALTER COLUMN search_vector SET STORAGE EXTERNAL",
]
POSTGRES_REVERSE = [
    "ALTER TABLE directory_searchdocument RESET (toast_tuple_target)",
    "ALTER TABLE directory_searchdocument ALTER COLUMN search_vector SET STORAGE EXTENDED",
]


def run(statements: list[str]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_change_entries")]
    operations = [migrations.RunPython(run(POSTGRES), run(POSTGRES_REVERSE))]
