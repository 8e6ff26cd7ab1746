"""PostgreSQL keeps the search documents' long values out of their rows (migration
0006), so that reading a word's organisations reads narrow rows.

Needs CLUSTERHUB_TEST_DATABASE_URL (set by .ci/run)."""

import pytest
from django.conf import settings
from django.db import connections

pytestmark = [
    pytest.mark.skipif(
        "postgres" not in settings.DATABASES,
        reason="set CLUSTERHUB_TEST_DATABASE_URL to a PostgreSQL database (.ci/run does)",
    ),
    pytest.mark.django_db(databases=["default", "postgres"]),
]


def test_search_rows_keep_their_long_values_out_of_line():
    with connections["postgres"].cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'directory_searchdocument'")
        assert "toast_tuple_target=128" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attname = 'search_vector' "
            "AND attrelid = 'directory_searchdocument'::regclass"
        )
        assert cursor.fetchone()[0] == "e"
