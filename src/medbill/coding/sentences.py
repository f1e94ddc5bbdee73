"""Sentence splitting with offsets.

A line break always ends a sentence (notes are written line by line, and list items stand alone);
inside a line, `.`, `!` or `?` ends one when followed by a space and a capital letter, a digit or
an opening bracket — unless the dot belongs to a known abbreviation (Dr., e.g., approx.) or a
number (3.5).

>>> text = "Pt seen by Dr. Smith. BP 120/80.\\nA: HTN, stable! Plan: f/u in 3.5 wks."
>>> [text[s.start:s.end] for s in split_sentences(text)]
['Pt seen by Dr. Smith.', 'BP 120/80.', 'A: HTN, stable!', 'Plan: f/u in 3.5 wks.']
"""

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vs",
        "e.g",
        "i.e",
        "etc",
        "approx",
        "appt",
        "dept",
        "fig",
        "no",
        "nos",
        "vol",
        "incl",
        "max",
        "min",
        "wk",
        "wks",
        "yr",
        "yrs",
        "hr",
        "hrs",
        "mo",
        "mos",
        "pt",
        "pts",
        "sr",
        "jr",
        "cf",
        "al",
    ]
)
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[A-Z0-9(\[\"'])")
_LINE = re.compile(r"[^\n]+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as the span `[start, end)` of the note text."""

    start: int
    end: int


def _abbreviation_before(line: str, dot: int) -> bool:
    head = line[max(0, dot - 24) : dot]  # abbreviations are short; keeps long lines linear
    match = _WORD_BEFORE.search(head)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or len(word) == 1


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end) if end > start else None


def _logical_lines(text: str) -> list[tuple[int, int]]:
    """Line spans, a wrapped line joined to the next: a line that does not end a sentence (no
    `.!?:;`) continues when the next line starts in lower case ("Mother had\nrheumatoid arthritis")."""
    out: list[tuple[int, int]] = []
    joinable = False
    for match in _LINE.finditer(text):
        line = match.group()
        head = line.lstrip()
        if out and joinable and head[:1].islower():
            out[-1] = (out[-1][0], match.end())
        else:
            out.append((match.start(), match.end()))
        tail = line.rstrip()
        joinable = bool(tail) and tail[-1] not in ".!?:;"
    return out


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, in order, as trimmed spans (never empty)."""
    out: list[Sentence] = []
    for base, stop in _logical_lines(text):
        line = text[base:stop]
        start = 0
        for end_match in _END.finditer(line):
            if line[end_match.start()] == "." and _abbreviation_before(line, end_match.start()):
                continue
            piece = _trimmed(text, base + start, base + end_match.end())
            if piece:
                out.append(piece)
            start = end_match.end()
        piece = _trimmed(text, base + start, base + len(line))
        if piece:
            out.append(piece)
    return out
