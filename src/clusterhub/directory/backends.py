"""The SearchBackend interface and its two implementations (SQLite FTS5, PostgreSQL tsvector).

A backend answers three questions about terms (folded words, prefixes, phrases; see
`lexicon.Term`): which organisations have any of them, how well some organisations
match (BM25 on FTS5, ts_rank on PostgreSQL), and which words the index holds (the
lexicon typos and forms are looked up in). Name and label matches, which rank first,
come from the in-memory index alike for both. The match sets are whole, because the
total and the facet counts need them; ranking, the costly part, is asked only for
the organisations a page needs.
"""

from collections.abc import Iterable

import numpy as np
from django.db import connections

from .lexicon import Term


class SearchBackend:
    # Match sets of at least this many organisations are kept with the index
    # (DirectoryIndex.text_matches) rather than read again when a word is typed again.
    keep_sets_from: int

    def __init__(self, alias: str):
        self.alias = alias

    def matches(self, terms: Iterable[Term]) -> np.ndarray:
        """Ids of the organisations having any of the terms."""
        raise NotImplementedError

    def scores(self, terms: Iterable[Term], ids: list[int]) -> dict[int, float]:
        """Relevance of these organisations for the terms (higher is better)."""
        raise NotImplementedError

    def vocabulary(self) -> dict[str, int]:
        """Every indexed word, with the number of organisations having it."""
        raise NotImplementedError

    def frequent_words(self, limit: int, min_count: int) -> list[str]:
        """Up to `limit` words found in at least `min_count` organisations, most first."""
        raise NotImplementedError

    def _words(self, sql: str, params: list) -> list[str]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _id_list(self, sql: str, params: list) -> np.ndarray:
        """Ids from a query answering one comma-separated string of them: for a common
        word, building 100,000 Python rows cost twice what the index spends finding them."""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            ids = cursor.fetchone()[0]
        return np.fromstring(ids or "", dtype=np.int64, sep=",")

    def _scores(self, sql: str, params: list) -> dict[int, float]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0]: float(row[1]) for row in cursor.fetchall()}


class SQLiteBackend(SearchBackend):
    """FTS5; BM25 with name words weighing ten times the rest."""

    # FTS5 reads a small set in about 0.1 ms, in process; a kept set costs every write a
    # pass (DirectoryIndex._bring_matches). Keeping them all, the searches during a
    # stream of edits at 300,000 profiles measured 34.5 ms at p95, against 24.8 keeping
    # these (docs/performance.md).
    keep_sets_from = 1000

    @staticmethod
    def _query(terms: Iterable[Term]) -> str:
        # Terms are folded words (letters and digits only): nothing to escape.
        return " OR ".join('"' + " ".join(t.words) + '"' + ("*" if t.prefix else "") for t in terms)

    def matches(self, terms):
        return self._id_list(
            "SELECT group_concat(rowid) FROM directory_fts WHERE directory_fts MATCH %s",
            [self._query(terms)],
        )

    def vocabulary(self):
        self._vocabulary_table()
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SELECT term, doc FROM temp.directory_fts_words")
            return dict(cursor.fetchall())

    def _vocabulary_table(self) -> None:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.directory_fts_words "
                "USING fts5vocab(main, 'directory_fts', 'row')"
            )

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
        self._vocabulary_table()
        return self._words(
            "SELECT term FROM temp.directory_fts_words WHERE doc >= %s "
            "ORDER BY doc DESC, term LIMIT %s",
            [min_count, limit],
        )


class PostgresBackend(SearchBackend):
    """A generated tsvector (name weighted A, the rest B), a GIN index, ts_rank."""

    # Every set is kept: even a small one costs a round trip, a GIN scan and a heap page
    # a match (0.3–0.75 ms a level of a word at 100,000 profiles, three levels a word).
    keep_sets_from = 0

    @staticmethod
    def _query(terms: Iterable[Term]) -> str:
        return " | ".join(
            "(" + " <-> ".join(t.words) + (":*" if t.prefix else "") + ")" for t in terms
        )

    def matches(self, terms):
        return self._id_list(
            "SELECT string_agg(organisation_id::text, ',') FROM directory_searchdocument "
            "WHERE search_vector @@ to_tsquery('simple', %s)",
            [self._query(terms)],
        )

    def scores(self, terms, ids):
        if not ids:
            return {}
        return self._scores(
            "SELECT organisation_id, ts_rank(search_vector, to_tsquery('simple', %s)) "
            "FROM directory_searchdocument WHERE organisation_id = ANY(%s)",
            [self._query(terms), list(ids)],
        )

    def vocabulary(self):
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM "
                "directory_searchdocument')"
            )
            return dict(cursor.fetchall())

    def frequent_words(self, limit, min_count):
        return self._words(
            "SELECT word FROM ts_stat('SELECT search_vector FROM directory_searchdocument') "
            "WHERE ndoc >= %s ORDER BY ndoc DESC, word LIMIT %s",
            [min_count, limit],
        )


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}


def backend_for(alias: str) -> SearchBackend:
    return BACKENDS[connections[alias].vendor](alias)
