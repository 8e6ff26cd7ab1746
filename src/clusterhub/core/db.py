"""Settings of a connection that depend on what the process does."""

from django.db import connection

# The page cache of a bulk write on SQLite: 20,000 profiles import in 17 s with it,
# 21 s with the 8 MB a web process keeps (docs/performance.md).
BULK_CACHE_KB = 65536


def bulk_page_cache() -> None:
    """Give this process's SQLite connection a page cache for large batches of writes."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size=-{BULK_CACHE_KB}")
