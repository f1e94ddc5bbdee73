"""Ranked text search over every searchable term of the knowledge base (FTS5 + a re-ranker).

Candidates come from the FTS5 index: first all query words together (AND), then, when that finds too
few, any of them (OR). Each candidate is then scored by how much of the query it covers (words
weighted by their rarity) and how much of the term the query covers, times the term kind's weight;
a code keeps its best-scoring term, which is reported as `matched`.
"""

import math
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from medbill.codesets import text

CANDIDATES = 250


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One code found by a search, with the term that matched best."""

    code: str
    system: str
    release_id: str
    kind: str
    matched: str
    score: float


class SearchIndex:
    """Search over the `search_doc` / `search_fts` tables of an open knowledge base."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.total = conn.execute("SELECT count(*) FROM search_doc").fetchone()[0] or 1
        self._df: dict[str, int] = {}

    def df(self, token: str) -> int:
        if token not in self._df:
            row = self.conn.execute("SELECT df FROM search_token WHERE token=?", (token,)).fetchone()
            self._df[token] = row[0] if row else 0
        return self._df[token]

    def idf(self, token: str) -> float:
        return math.log(1 + self.total / (1 + self.df(token)))

    def _candidates(self, tokens: Sequence[str], systems: Collection[str], op: str) -> list[int]:
        body = f" {op} ".join(f'"{t}"' for t in tokens)
        query = f"{{core extra}}: ({body})"
        if systems:
            query += " AND sys: (" + " OR ".join(f'"{s}"' for s in systems) + ")"
        rows = self.conn.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?", (query, CANDIDATES)
        ).fetchall()
        return [r[0] for r in rows]

    def search(
        self,
        query: str,
        *,
        systems: Collection[str] = (),
        releases: Collection[str] | None = None,
        limit: int = 10,
    ) -> list[TermMatch]:
        """The best `limit` codes for `query`, restricted to `systems` and to terms of `releases`."""
        tokens = [t for t in text.query_tokens(query) if self.df(t) > 0]
        if not tokens:
            return []
        ids = self._candidates(tokens, systems, "AND")
        if len(ids) < max(limit, 5) and len(tokens) > 1:
            seen = set(ids)
            ids += [i for i in self._candidates(tokens, systems, "OR") if i not in seen]
        if not ids:
            return []
        weights = {t: self.idf(t) for t in tokens}
        total = sum(weights.values())
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT system, release_id, code, kind, text, weight, body, core FROM search_doc WHERE id IN ({marks})",
            ids,
        ).fetchall()
        best: dict[tuple[str, str], TermMatch] = {}
        for system, release_id, code, kind, matched, weight, body, core in rows:
            if releases is not None and release_id not in releases:
                continue
            hit = set(body.split()).intersection(tokens)
            needed = set(core.split())
            query_cover = sum(weights[t] for t in hit) / total
            term_cover = len(hit & needed) / len(needed)
            score = weight * (0.75 * query_cover + 0.25 * term_cover)
            key = (system, code)
            if key not in best or score > best[key].score:
                best[key] = TermMatch(code, system, release_id, kind, matched, round(score, 4))
        ranked = sorted(best.values(), key=lambda m: (-m.score, len(m.matched), m.code))
        return ranked[:limit]
