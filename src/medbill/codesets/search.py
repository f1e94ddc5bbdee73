"""Ranked text search over every searchable term of the knowledge base (FTS5 + a re-ranker).

Candidates come from the FTS5 index (one table per code system): first all query words together
(AND), then all but one of the rarest words, then (when that is still too few) any of the rarest words.
Terms are stored shortest first, so the first matches in id order are the most specific ones and no
match list has to be ranked as a whole. Each candidate is then scored by how much of the query it covers (words
weighted by their rarity) and how much of the term the query covers, times the term kind's weight;
a code keeps its best-scoring term, which is reported as `matched`.
"""

import math
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from medbill.codesets import text

CANDIDATES = 250
#: words that mark the default (unspecified) code of a group: a term is not penalised for them, so
#: "UTI" finds "Urinary tract infection, site not specified" before "Neonatal urinary tract infection"
DEFAULT_WORDS = frozenset(
    {"unspecified", "nos", "not", "specified", "site", "organism", "elsewhere", "classified"}
)
#: words in more terms than this never drive an OR query (ranking their long posting lists is slow)
RARE = 5000


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
    """Search over the `search_doc` table and the per-system FTS5 tables of an open knowledge base."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        from medbill.codesets.build import fts_table

        self.conn = conn
        self.systems = {
            system: fts_table(system)
            for (system,) in conn.execute("SELECT DISTINCT system FROM search_token")
        }
        self.total = conn.execute("SELECT count(*) FROM search_doc").fetchone()[0] or 1
        self._df: dict[str, int] = {}

    def df(self, token: str) -> int:
        """In how many terms (of any system) the token occurs."""
        if token not in self._df:
            row = self.conn.execute("SELECT sum(df) FROM search_token WHERE token=?", (token,)).fetchone()
            self._df[token] = int(row[0] or 0)
        return self._df[token]

    def idf(self, token: str) -> float:
        return math.log(1 + self.total / (1 + self.df(token)))

    def _match(self, tokens: Sequence[str], systems: Collection[str], op: str) -> list[int]:
        query = f" {op} ".join(f'"{t}"' for t in tokens)
        ids: list[int] = []
        for system in systems:
            table = self.systems.get(system)
            if table is None:
                continue
            rows = self.conn.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?", (query, CANDIDATES)
            ).fetchall()
            ids += [r[0] for r in rows]
        return ids

    def _candidates(self, tokens: list[str], systems: Collection[str], want: int) -> list[int]:
        """All words together; then all but one of the three rarest words (a rare word the term lacks is
        the usual reason for no match); then any of the three rarest words. Common words ("with",
        "unspecified") never drive an OR query: their posting lists are long and slow to rank."""
        ids = self._match(tokens, systems, "AND")
        if len(ids) >= want or len(tokens) == 1:
            return ids
        seen = set(ids)
        rarest = sorted(tokens, key=self.df)[:3]
        for dropped in rarest if len(tokens) > 2 else ():
            rest = [t for t in tokens if t != dropped]
            if min(self.df(t) for t in rest) > RARE:
                continue  # only common words left: too broad to help, and slow to rank
            ids += [i for i in self._match(rest, systems, "AND") if i not in seen]
            seen.update(ids)
        if len(ids) < want:
            rare = [t for t in rarest if self.df(t) <= RARE]
            ids += [i for i in self._match(rare, systems, "OR") if i not in seen] if rare else []
        return ids

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
        ids = self._candidates(tokens, systems or tuple(self.systems), max(limit, 5))
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
            needed = set(core.split()) - DEFAULT_WORDS or set(core.split())
            query_cover = sum(weights[t] for t in hit) / total
            term_cover = len(hit & needed) / len(needed)
            score = weight * (0.75 * query_cover + 0.25 * term_cover)
            key = (system, code)
            if key not in best or score > best[key].score:
                best[key] = TermMatch(code, system, release_id, kind, matched, round(score, 4))
        ranked = sorted(best.values(), key=lambda m: (-m.score, len(m.matched), m.code))
        return ranked[:limit]
