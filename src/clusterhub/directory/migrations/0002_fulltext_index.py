"""The full-text index: FTS5 kept by triggers on SQLite, a generated tsvector on PostgreSQL."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE directory_fts USING fts5(
        name_words, body_words,
        content='directory_searchdocument', content_rowid='organisation_id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER directory_fts_insert AFTER INSERT ON directory_searchdocument BEGIN
        INSERT INTO directory_fts(rowid, name_words, body_words)
        VALUES (new.organisation_id, new.name_words, new.body_words); END""",
    """CREATE TRIGGER directory_fts_delete AFTER DELETE ON directory_searchdocument BEGIN
        INSERT INTO directory_fts(directory_fts, rowid, name_words, body_words)
        VALUES ('delete', old.organisation_id, old.name_words, old.body_words); END""",
    """CREATE TRIGGER directory_fts_update AFTER UPDATE ON directory_searchdocument BEGIN
        INSERT INTO directory_fts(directory_fts, rowid, name_words, body_words)
        VALUES ('delete', old.organisation_id, old.name_words, old.body_words);
        INSERT INTO directory_fts(rowid, name_words, body_words)
        VALUES (new.organisation_id, new.name_words, new.body_words); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER directory_fts_update",
    "DROP TRIGGER directory_fts_delete",
    "DROP TRIGGER directory_fts_insert",
    "DROP TABLE directory_fts",
]
POSTGRES = [
    """ALTER TABLE directory_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', name_words), 'A')
            || setweight(to_tsvector('simple', body_words), 'B')
        ) STORED""",
    "CREATE INDEX directory_search_vector ON directory_searchdocument USING GIN (search_vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX directory_search_vector",
    "ALTER TABLE directory_searchdocument DROP COLUMN search_vector",
]


def run(statements: dict):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
        migrations.RunPython(
            lambda apps, schema_editor: apps.get_model("directory", "DirectoryVersion")
            .objects.using(schema_editor.connection.alias)
            .create(pk=1, version=0),
            migrations.RunPython.noop,
        ),
    ]
