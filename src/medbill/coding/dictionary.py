"""The term dictionary: every way a code can be named, as token sequences, with a fast matcher.

Entries come from the knowledge base (`terms.py` turns Tabular descriptions, inclusion terms, table
paths, PCS Index paths and HCPCS descriptions into entries) and from the learned lexicon. Matching
is one Aho-Corasick pass (pyahocorasick) over the normalised tokens of a sentence: patterns are
token sequences joined by spaces and framed by spaces, so a pattern only matches whole tokens.

>>> d = Dictionary()
>>> d.add(("chest", "pain"), Entry("R07.9", "icd10cm", "description", "Chest pain, unspecified"))
>>> d.add(("pain",), Entry("R52", "icd10cm", "description", "Pain, unspecified"))
>>> m = d.compile()
>>> [(h.first, h.last, [e.code for e in h.entries]) for h in m.find(["severe", "chest", "pain"])]
[(1, 2, ['R07.9']), (2, 2, ['R52'])]
"""

from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True, slots=True)
class Entry:
    """A code a term leads to, and how: `kind` is the source (description, inclusion, neoplasm, drug,
    ecause, pcs_index, hcpcs, learned, ...), `term` the text shown in the rationale.

    `laterality` is the side the term named (`right`, `left`, `bilateral`) — the side words are
    taken out of the pattern and checked against the note's context instead. `column` is the table
    column of a Neoplasm/Drug table cell. `requires` names a context cue the sentence must contain
    (`neoplasm`, `drug_poisoning`, ...). `weight` is a prior quality of the term (0–1); learned
    entries carry their train counts in `count` / `seen`.
    """

    code: str
    system: str
    kind: str
    term: str
    path: tuple[str, ...] = ()
    laterality: str = ""
    column: str = ""
    requires: str = ""
    weight: float = 1.0
    count: int = 0
    seen: int = 0


@dataclass(frozen=True, slots=True)
class Hit:
    """A match: tokens `first..last` (inclusive) of the searched sequence, and the entries of the term."""

    first: int
    last: int
    pattern: tuple[str, ...]
    entries: tuple[Entry, ...]


class Dictionary:
    """Token sequence → entries, being built."""

    def __init__(self) -> None:
        self.patterns: dict[tuple[str, ...], list[Entry]] = {}

    def add(self, tokens: Sequence[str], entry: Entry) -> None:
        key = tuple(tokens)
        if not key:
            return
        bucket = self.patterns.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def __len__(self) -> int:
        return len(self.patterns)

    def compile(self) -> "Matcher":
        return Matcher({k: tuple(v) for k, v in self.patterns.items()})


class Matcher:
    """A compiled dictionary: `find(tokens)` returns every term occurring in a token sequence."""

    def __init__(self, patterns: dict[tuple[str, ...], tuple[Entry, ...]]) -> None:
        self.patterns = patterns
        self.max_tokens = max((len(k) for k in patterns), default=0)
        self._automaton = ahocorasick.Automaton()
        for key, entries in patterns.items():
            self._automaton.add_word(" " + " ".join(key) + " ", (key, entries))
        if patterns:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.patterns)

    def get(self, tokens: Sequence[str]) -> tuple[Entry, ...]:
        return self.patterns.get(tuple(tokens), ())

    def find(self, tokens: Sequence[str]) -> list[Hit]:
        """All occurrences, ordered by where they end."""
        if not self.patterns or not tokens:
            return []
        text = " " + " ".join(tokens) + " "
        # token index of each character position that ends a token (the following space)
        ends: dict[int, int] = {}
        pos = 0
        for i, tok in enumerate(tokens):
            pos += 1 + len(tok)
            ends[pos] = i
        out = []
        for end, (key, entries) in self._automaton.iter(text):
            last = ends.get(end)
            if last is None:
                continue
            out.append(Hit(last - len(key) + 1, last, key, entries))
        return out
