"""The SearchBackend interface and its two implementations (SQLite FTS5, PostgreSQL tsvector).

A backend answers one question — which organisations match these words, how well, and
does the name match — for every matching organisation at once, because the facet
counts need the whole match set, not a page of it.
"""

from dataclasses import dataclass

import numpy as np
from django.db import connections


@dataclass
class TextMatches:
    ids: np.ndarray  # organisation ids
    rank: np.ndarray  # lower is better
    name_hit: np.ndarray  # every word is in the name


class SearchBackend:
    def __init__(self, alias: str):
        self.alias = alias

    def match(self, terms: list[str]) -> TextMatches:
        raise NotImplementedError

    def _fetch(self, sql: str, params: list) -> TextMatches:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            empty = np.zeros(0)
            return TextMatches(empty.astype(np.int64), empty, empty.astype(bool))
        ids, rank, name_hit = zip(*rows, strict=True)
        return TextMatches(
            np.array(ids, dtype=np.int64),
            np.array(rank, dtype=np.float64),
            np.array(name_hit, dtype=bool),
        )


class SQLiteBackend(SearchBackend):
    """FTS5 with BM25; name words weigh ten times the rest."""

    def match(self, terms: list[str]) -> TextMatches:
        words = " AND ".join(f'"{t}"*' for t in terms)
        return self._fetch(
            """SELECT f.rowid, bm25(directory_fts, 10.0, 1.0),
                      f.rowid IN (SELECT rowid FROM directory_fts WHERE directory_fts MATCH %s)
               FROM directory_fts f WHERE directory_fts MATCH %s""",
            [f"name_words : ({words})", words],
        )


class PostgresBackend(SearchBackend):
    """A generated tsvector (name weighted A, the rest B) with a GIN index; ts_rank."""

    def match(self, terms: list[str]) -> TextMatches:
        words = " & ".join(f"{t}:*" for t in terms)
        in_name = " & ".join(f"{t}:*A" for t in terms)
        return self._fetch(
            """SELECT organisation_id, -ts_rank(search_vector, q.words),
                      search_vector @@ q.in_name
               FROM directory_searchdocument,
                    (SELECT to_tsquery('simple', %s) AS words,
                            to_tsquery('simple', %s) AS in_name) AS q
               WHERE search_vector @@ q.words""",
            [words, in_name],
        )


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}


def backend_for(alias: str) -> SearchBackend:
    return BACKENDS[connections[alias].vendor](alias)
