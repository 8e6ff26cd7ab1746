"""The SearchBackend interface and its two implementations (SQLite FTS5, PostgreSQL tsvector).

A backend answers two questions about the folded query words: which organisations
match every word, and how well some of them match (BM25 on FTS5, ts_rank on
PostgreSQL). Name matches, which rank first, come from the in-memory index alike
for both. The match sets are whole, because the total and the facet counts need
them; ranking, the costly part, is asked only for the organisations a page needs.
"""

import numpy as np
from django.db import connections


class SearchBackend:
    def __init__(self, alias: str):
        self.alias = alias

    def matches(self, terms: list[str]) -> np.ndarray:
        """Ids of the organisations having every word (as a word prefix)."""
        raise NotImplementedError

    def scores(self, terms: list[str], ids: list[int]) -> dict[int, float]:
        """Relevance of these organisations (higher is better)."""
        raise NotImplementedError

    def frequent_words(self, limit: int, min_count: int) -> list[str]:
        """Up to `limit` words found in at least `min_count` organisations, most first."""
        raise NotImplementedError

    def _words(self, sql: str, params: list) -> list[str]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _ids(self, sql: str, params: list) -> np.ndarray:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)

    def _scores(self, sql: str, params: list) -> dict[int, float]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0]: float(row[1]) for row in cursor.fetchall()}


class SQLiteBackend(SearchBackend):
    """FTS5; BM25 with name words weighing ten times the rest."""

    @staticmethod
    def _query(terms: list[str]) -> str:
        return " AND ".join(f'"{t}"*' for t in terms)

    def matches(self, terms):
        # One string of ids rather than a row per id: for a common word, building
        # 100,000 Python rows cost twice what FTS5 spends finding them.
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                "SELECT group_concat(rowid) FROM directory_fts WHERE directory_fts MATCH %s",
                [self._query(terms)],
            )
            ids = cursor.fetchone()[0]
        return np.fromstring(ids or "", dtype=np.int64, sep=",")

    def scores(self, terms, ids):
        if not ids:
            return {}
        # "+rowid": one pass over the matches, filtered by SQLite; a plain rowid IN
        # would make FTS5 evaluate the whole MATCH once per id.
        return self._scores(
            "SELECT rowid, -bm25(directory_fts, 10.0, 1.0) FROM directory_fts "
            f"WHERE directory_fts MATCH %s AND +rowid IN ({', '.join(['%s'] * len(ids))})",
            [self._query(terms), *ids],
        )

    def frequent_words(self, limit, min_count):
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.directory_fts_words "
                "USING fts5vocab(main, 'directory_fts', 'row')"
            )
        return self._words(
            "SELECT term FROM temp.directory_fts_words WHERE doc >= %s "
            "ORDER BY doc DESC, term LIMIT %s",
            [min_count, limit],
        )


class PostgresBackend(SearchBackend):
    """A generated tsvector (name weighted A, the rest B), a GIN index, ts_rank."""

    def matches(self, terms):
        return self._ids(
            "SELECT organisation_id FROM directory_searchdocument "
            "WHERE search_vector @@ to_tsquery('simple', %s)",
            [" & ".join(f"{t}:*" for t in terms)],
        )

    def scores(self, terms, ids):
        if not ids:
            return {}
        return self._scores(
            "SELECT organisation_id, ts_rank(search_vector, to_tsquery('simple', %s)) "
            "FROM directory_searchdocument WHERE organisation_id = ANY(%s)",
            [" & ".join(f"{t}:*" for t in terms), list(ids)],
        )

    def frequent_words(self, limit, min_count):
        return self._words(
            "SELECT word FROM ts_stat('SELECT search_vector FROM directory_searchdocument') "
            "WHERE ndoc >= %s ORDER BY ndoc DESC, word LIMIT %s",
            [min_count, limit],
        )


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}


def backend_for(alias: str) -> SearchBackend:
    return BACKENDS[connections[alias].vendor](alias)
