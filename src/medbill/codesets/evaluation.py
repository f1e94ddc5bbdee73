"""Search-quality evaluation over the real releases (used by a test and by `benchmarks/`).

Two query sets, sampled with a fixed seed:

- *descriptions*: billable Tabular codes; the query is the code's description with its words
  shuffled and one word dropped; a hit is the code in the top 5.
- *tables*: Neoplasm and Drug table cells; the query is "<term> <column>" — the entry's path below
  the Neoplasm main term (the whole path in the Drug table) and the column heading without its
  parenthesised part (`lung lower lobe malignant primary`, `acetaminophen poisoning accidental`);
  a hit is the cell's code (without a trailing `-`) in the top 5.
"""

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase

ARROW = " → "


@dataclass(frozen=True, slots=True)
class Case:
    query: str
    expected: str
    source: str


@dataclass(frozen=True, slots=True)
class Outcome:
    cases: int
    hits: int
    misses: tuple[tuple[Case, tuple[str, ...]], ...]

    @property
    def rate(self) -> float:
        return self.hits / self.cases if self.cases else 0.0


def description_cases(kb: "KnowledgeBase", n: int = 500, seed: int = 20260401) -> list[Case]:
    rng = random.Random(seed)
    rid = kb.icd10cm.release().id
    rows = kb.conn.execute(
        "SELECT dotted, description FROM icd10cm_code WHERE release_id=? AND billable=1 ORDER BY seq", (rid,)
    ).fetchall()
    cases = []
    for code, description in rng.sample(rows, n):
        words = description.split()
        if len(words) > 1:
            words.pop(rng.randrange(len(words)))
        rng.shuffle(words)
        cases.append(Case(" ".join(words), code, "description"))
    return cases


def table_cases(kb: "KnowledgeBase", n: int = 300, seed: int = 20260401) -> list[Case]:
    rng = random.Random(seed)
    rows = kb.conn.execute(
        "SELECT t.tbl, t.path, c.heading, c.code FROM icd10cm_index_cell c JOIN icd10cm_index_term t"
        " ON t.release_id=c.release_id AND t.id=c.term_id WHERE t.tbl IN ('neoplasm', 'drug') ORDER BY t.tbl, t.id, c.col"
    ).fetchall()
    cases = []
    for table, path, heading, code in rng.sample(rows, n):
        steps = path.split(ARROW)
        if table == "neoplasm":
            steps = steps[1:] or steps
        column = re.sub(r"\([^)]*\)", "", heading).strip()
        cases.append(Case(f"{' '.join(steps)} {column}", code.rstrip("-").rstrip("."), table))
    return cases


def evaluate(kb: "KnowledgeBase", cases: list[Case], *, top: int = 5) -> Outcome:
    hits = 0
    misses = []
    for case in cases:
        found = tuple(h.code for h in kb.icd10cm.search(case.query, limit=top))
        if case.expected in found:
            hits += 1
        else:
            misses.append((case, found))
    return Outcome(len(cases), hits, tuple(misses))
