"""Reading what a note documents for E/M: total time and the three MDM elements, with offsets.

All the words come from `coding/data/em.yaml`; this module only matches them. A cue counts when it
is not negated by a word shortly before it in the same clause ("no exacerbation"). Reading is
deliberately conservative: several durations in one sentence give the one nearest the time cue,
several time statements give the largest "total" (else the largest "spent"), and one problem
kind counts once per sentence unless a number precedes it ("two stable chronic illnesses").

>>> found = read_note("Total time 35 minutes. Hypertension, chronic stable. Refilled lisinopril.")
>>> found.minutes, found.problems, found.risk
(35, 1, 2)
"""

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from medbill.coding.em.guidelines import ELEMENTS, Guidelines
from medbill.coding.em.result import Evidence

_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n")
_WORD = re.compile(r"[a-z0-9/']+")
_CLAUSE_BREAK = re.compile(r"[,:(]|\bbut\b", re.IGNORECASE)

_LABEL_LEAD = re.compile(r"(?:^|[.;:|•*\-–—])[ \t]*$", re.MULTILINE)  # a label starts a line or clause
Cite = Callable[[str, int, int], None]  # records evidence: (element, start, end)


@dataclass(frozen=True)
class NoteFindings:
    """Element ordinals are None when the note says nothing about that element."""

    minutes: int | None = None
    problems: int | None = None
    data: int | None = None
    risk: int | None = None
    details: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    @property
    def documents_mdm(self) -> bool:
        return any(v is not None for v in (self.problems, self.data, self.risk))


@dataclass(frozen=True)
class _Hit:
    key: str
    start: int
    end: int
    sentence: int


class _Duration(NamedTuple):
    distance: int  # characters between the duration and its time cue
    total: bool  # the sentence says "total"
    minutes: int
    start: int
    end: int


_SEPARATOR = r"[\s,\-]+"  # between the words of a cue: "chronic, stable", "self-limited"


def _pattern(phrase: str) -> str:
    return _SEPARATOR.join(re.escape(w) for w in _WORD.findall(phrase.lower()))


class _Matcher:
    """All the phrases of one group as a single regex shaped like a word trie (a long alternation of
    phrases is several times slower); the longest phrase at a position wins, a final plural "s" or
    "es" is allowed, and each hit reports the key of its phrase."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        self.keys: dict[tuple[str, ...], str] = {}
        trie: dict[str, Any] = {}
        for key, phrase in phrases:
            words = tuple(_WORD.findall(phrase.lower()))
            if not words:
                continue
            self.keys.setdefault(words, key)
            node = trie
            for word in words:
                node = node.setdefault(word, {})
            node[""] = {}
        body = self._build(trie, first=True) or "(?!)"
        self.regex = re.compile(rf"(?<![\w]){body}(?:e?s)?(?![\w])", re.IGNORECASE)

    @classmethod
    def _build(cls, node: dict[str, Any], first: bool) -> str:
        alternatives = [
            ("" if first else _SEPARATOR) + re.escape(word) + cls._build(child, first=False)
            for word, child in sorted(node.items(), key=lambda item: -len(item[0]))
            if word
        ]
        if not alternatives:
            return ""
        return "(?:" + "|".join(alternatives) + ")" + ("?" if "" in node else "")

    def key(self, matched: str) -> str:
        words = tuple(_WORD.findall(matched.lower()))
        last = words[-1]
        for stem in (last, last[:-1], last[:-2]):
            if (found := self.keys.get((*words[:-1], stem))) is not None:
                return found
        raise AssertionError(f"no cue for {matched!r}")  # the regex only matches known phrases

    def hits(self, text: str, sentences: "_Sentences") -> list[_Hit]:
        return [
            _Hit(self.key(m.group()), m.start(), m.end(), sentences.index(m.start()))
            for m in self.regex.finditer(text)
        ]


class _Sentences:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]

    def index(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def start(self, i: int) -> int:
        return self.starts[i]


class NoteReader:
    """The compiled cues of one set of guidelines."""

    def __init__(self, g: Guidelines) -> None:
        raw = g.raw
        self.g = g
        kinds = raw["problem_kinds"]
        self.kind_levels = {
            k: {int(n): g.scales["problems"].index(v) for n, v in d["levels"].items()}
            for k, d in kinds.items()
        }
        self.kind_labels = {k: str(d["label"]) for k, d in kinds.items()}
        self.problems = _Matcher((k, c) for k, d in kinds.items() for c in d["cues"])
        self.numbers = {str(k).lower(): int(v) for k, v in raw["numbers"].items()}
        number_words = "|".join(re.escape(w) for w in self.numbers)
        self.count_before = re.compile(rf"(?<![\w.#/])(\d+|{number_words})\s+$", re.IGNORECASE)
        items = raw["data_items"]
        self.data_labels = {k: str(d["label"]) for k, d in items.items()}
        self.data = _Matcher((k, c) for k, d in items.items() for c in d["cues"])
        self.tests = _Matcher((str(names[0]), str(n)) for names in raw["test_names"] for n in names)
        self.generic_tests = _Matcher(("generic", str(n)) for n in raw["generic_test_names"])
        self.risk = _Matcher((level, c) for level, cues in raw["risk_cues"].items() for c in cues)
        self.time = _Matcher((kind, c) for kind, cues in raw["time_cues"].items() for c in cues)
        units = raw["duration_units"]
        unit_alt = {
            k: "|".join(re.escape(u) for u in sorted(v, key=len, reverse=True)) for k, v in units.items()
        }
        below = "|".join(_pattern(b) for b in raw["duration_below"])
        self.duration = re.compile(
            rf"(?<![\w.])(?:(?P<below>{below})\s+)?(?P<n>\d{{1,3}}(?:\.\d+)?)"
            rf"(?:\s*(?:-|–|to)\s*\d{{1,3}})?\s*(?:(?P<h>{unit_alt['hours']})|(?P<m>{unit_alt['minutes']}))(?![\w])"
            rf"(?:\s*(?:and\s+)?(?P<extra>\d{{1,2}})\s*(?:{unit_alt['minutes']})(?![\w]))?",
            re.IGNORECASE,
        )
        labels = [(e, str(lab)) for e in ELEMENTS for lab in raw["element_labels"][e]]
        self.label = _Matcher(labels)
        words = [(lvl, str(w)) for lvl, ws in raw["level_words"].items() for w in ws]
        order = list(raw["level_words"])  # minimal, low, moderate, high: ordinals 0-3
        self.level_words = {w.lower(): order.index(lvl) for lvl, w in words}
        word_alt = "|".join(re.escape(w) for w in sorted(self.level_words, key=len, reverse=True))
        self.label_value = re.compile(
            rf"[ \t]*(?:level|complexity)?[ \t]*[:=\-–—]+[ \t]*(?P<w>{word_alt})"
            rf"(?=[ \t]*(?:$|[.;,:()\-–—\n]|(?:level|complexity|risk|mdm)\b))",
            re.IGNORECASE | re.MULTILINE,
        )
        self.negations = [
            re.compile(rf"(?<![\w]){_pattern(n)}(?![\w])", re.IGNORECASE) for n in raw["negations"]
        ]
        self.window = int(raw["negation_window"])

    @classmethod
    @cache
    def default(cls) -> "NoteReader":
        return cls(Guidelines.default())

    # -- helpers ---------------------------------------------------------------------------------
    def _negated(self, text: str, sentences: _Sentences, hit: _Hit) -> bool:
        before = text[sentences.start(hit.sentence) : hit.start]
        clause = _CLAUSE_BREAK.split(before)[-1]
        window = " ".join(_WORD.findall(clause.lower())[-self.window :])
        return any(n.search(window) for n in self.negations)

    def _live(self, matcher: _Matcher, text: str, sentences: _Sentences) -> list[_Hit]:
        return [h for h in matcher.hits(text, sentences) if not self._negated(text, sentences, h)]

    # -- reading ---------------------------------------------------------------------------------
    def read(self, text: str) -> NoteFindings:
        sentences = _Sentences(text)
        evidence: list[Evidence] = []
        details: list[str] = []

        def cite(element: str, start: int, end: int) -> None:
            evidence.append(Evidence(start, end, text[start:end], element))

        minutes = self._minutes(text, sentences, cite)
        problems = self._problems(text, sentences, cite, details)
        data = self._data(text, sentences, cite, details)
        risk = self._risk(text, sentences, cite, details)
        labelled = self._labels(text, cite)
        levels = {"problems": problems, "data": data, "risk": risk}
        for element, value in labelled.items():
            current = levels[element]
            levels[element] = value if current is None else max(current, value)
            details.append(f"{element} stated as {self.g.scales[element][value]}")
        evidence.sort(key=lambda e: (e.start, e.end))
        return NoteFindings(
            minutes, levels["problems"], levels["data"], levels["risk"], tuple(details), tuple(evidence)
        )

    def _minutes(self, text: str, sentences: _Sentences, cite: Cite) -> int | None:
        cues_by_sentence: dict[int, list[_Hit]] = defaultdict(list)
        for hit in self.time.hits(text, sentences):
            cues_by_sentence[hit.sentence].append(hit)
        nearest: dict[int, _Duration] = {}  # sentence → its duration nearest a time cue
        for m in self.duration.finditer(text):
            sentence = sentences.index(m.start())
            cues = cues_by_sentence.get(sentence)
            if not cues:
                continue
            value = float(m.group("n")) * (60 if m.group("h") else 1) + float(m.group("extra") or 0)
            minutes = max(0, round(value) - (1 if m.group("below") else 0))
            total = any(c.key == "total" for c in cues)
            # in a sentence that says "total", the duration that counts is the one nearest "total"
            near = [c for c in cues if c.key == "total"] if total else cues
            cue = min(near, key=lambda c: _gap(c.start, c.end, m.start(), m.end()))
            distance = _gap(cue.start, cue.end, m.start(), m.end())
            span = (min(cue.start, m.start()), max(cue.end, m.end()))
            if sentence not in nearest or distance < nearest[sentence].distance:
                nearest[sentence] = _Duration(distance, total, minutes, *span)
        if not nearest:
            return None
        has_total = any(d.total for d in nearest.values())
        chosen = max((d for d in nearest.values() if d.total == has_total), key=lambda d: d.minutes)
        cite("time", chosen.start, chosen.end)
        return chosen.minutes

    def _problems(self, text: str, sentences: _Sentences, cite: Cite, details: list[str]) -> int | None:
        per_sentence: dict[tuple[str, int], tuple[int, _Hit]] = {}
        for hit in self._live(self.problems, text, sentences):
            lead = text[max(sentences.start(hit.sentence), hit.start - 24) : hit.start]
            number = self.count_before.search(lead)
            count = 1
            start = hit.start
            if number:
                word = number.group(1).lower()
                count = int(word) if word.isdigit() else self.numbers[word]
                start = hit.start - len(lead) + number.start(1)
            slot = (hit.key, hit.sentence)
            if slot not in per_sentence or count > per_sentence[slot][0]:
                per_sentence[slot] = (count, _Hit(hit.key, start, hit.end, hit.sentence))
        if not per_sentence:
            return None
        counts: dict[str, int] = defaultdict(int)
        for (kind, _), (count, hit) in per_sentence.items():
            counts[kind] += count
            cite("problems", hit.start, hit.end)
        best = 0
        for kind, count in counts.items():
            reached = [lvl for n, lvl in self.kind_levels[kind].items() if count >= n]
            best = max([best, *reached])
            details.append(f"{count} × {self.kind_labels[kind]}")
        return best

    def _data(self, text: str, sentences: _Sentences, cite: Cite, details: list[str]) -> int | None:
        hits = self._live(self.data, text, sentences)
        if not hits:
            return None
        by_key: dict[str, set[int]] = defaultdict(set)
        for hit in hits:
            by_key[hit.key].add(hit.sentence)
            if hit.key not in ("test_ordered", "test_reviewed"):
                cite("data", hit.start, hit.end)
        test_sentences = by_key["test_ordered"] | by_key["test_reviewed"]
        tests: set[str] = set()
        for hit in self._live(self.tests, text, sentences):
            if hit.sentence in test_sentences:
                tests.add(hit.key)
                cite("data", hit.start, hit.end)
        named = {h.sentence for h in self.tests.hits(text, sentences)}
        for hit in self._live(self.generic_tests, text, sentences):
            if hit.sentence in test_sentences and hit.sentence not in named:
                tests.add(text[hit.start : hit.end].lower())
                cite("data", hit.start, hit.end)
        external = len(by_key["external_notes"])
        flags = {key: bool(by_key[key]) for key in ("historian", "interpretation", "discussion")}
        if not tests and not external and not any(flags.values()):
            return None  # "reviewed" or "ordered" with nothing countable documents no data
        level = self.g.data_level(external + len(tests), **flags)
        if tests:
            details.append(f"{len(tests)} unique test(s): {', '.join(sorted(tests))}")
        for key in ("external_notes", "historian", "interpretation", "discussion"):
            if by_key[key]:
                n = len(by_key[key])
                details.append(
                    self.data_labels[key] + (f" ({n} sources)" if key == "external_notes" and n > 1 else "")
                )
        return level

    def _risk(self, text: str, sentences: _Sentences, cite: Cite, details: list[str]) -> int | None:
        hits = self._live(self.risk, text, sentences)
        if not hits:
            return None
        scale = self.g.scales["risk"]
        best = max(scale.index(h.key) for h in hits)
        for hit in hits:
            if scale.index(hit.key) == best:
                cite("risk", hit.start, hit.end)
        words = sorted({text[h.start : h.end].lower() for h in hits if scale.index(h.key) == best})
        details.append(f"risk: {scale[best]} ({', '.join(words)})")
        return best

    def _labels(self, text: str, cite: Cite) -> dict[str, int]:
        found: dict[str, int] = {}
        for m in self.label.regex.finditer(text):
            element = self.label.key(m.group())
            value = self.label_value.match(text, m.end())
            if value is None or not _LABEL_LEAD.search(text, max(0, m.start() - 80), m.start()):
                continue
            level = self.level_words[value.group("w").lower()]
            found[element] = max(found.get(element, 0), level)
            cite(element, m.start(), value.end())
        return found


def _gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, b_start - a_end, a_start - b_end)


def read_note(text: str, reader: NoteReader | None = None) -> NoteFindings:
    """What `text` documents for E/M leveling."""
    return (reader or NoteReader.default()).read(text)
