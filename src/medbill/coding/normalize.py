"""Normalisation of note text and dictionary terms into comparable tokens, keeping offsets.

Both sides go through the same steps: fold case and accents character by character (so offsets
into the folded text are offsets into the original), split on anything that is not a letter or
digit, a light plural stemmer, stop words dropped. Note text also has its abbreviations expanded
(HTN → hypertension, T2DM → type 2 diabetes mellitus): every token of an expansion keeps the
span of the abbreviation it came from.

>>> [t.norm for t in tokenize("Fractures of the Ribs")]
['fracture', 'rib']
>>> [(t.norm, t.start, t.end) for t in tokenize("h/o HTN", {"htn": "hypertension"})]
[('h', 0, 1), ('o', 2, 3), ('hypertension', 4, 7)]
>>> term_tokens("Pneumonia, unspecified organism")
('pneumonia', 'unspecified', 'organism')
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "by",
        "as",
        "for",
        "is",
        "was",
        "were",
        "be",
        "been",
        "being",
        "are",
        "with",
        "from",
        "into",
        "onto",
        "that",
        "this",
        "these",
        "those",
        "which",
        "who",
        "its",
        "his",
        "her",
        "their",
        "there",
        "than",
        "then",
        "also",
        "has",
        "have",
        "had",
        "he",
        "she",
        "it",
        "they",
        "we",
        "our",
        "your",
        "s",
    ]
)
_WORD = re.compile(r"[0-9a-z]+")


@cache
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return base[:1] if base else " "


def fold(text: str) -> str:
    """Lower-case and strip accents, one character for one character (offsets are kept).

    >>> fold("Úlcera DIABÉTICA")
    'ulcera diabetica'
    """
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def stem(word: str) -> str:
    """A light plural stemmer.

    >>> [stem(w) for w in ("injuries", "glasses", "fractures", "uterus", "diabetes", "sepsis", "boxes")]
    ['injury', 'glass', 'fracture', 'uterus', 'diabete', 'sepsis', 'box']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ys")):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised word and the span `[start, end)` of the original text it stands for."""

    norm: str
    start: int
    end: int


def words(text: str) -> list[tuple[str, int, int]]:
    """Folded words with their spans (stop words kept, not stemmed)."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(fold(text))]


def tokenize(text: str, abbreviations: Mapping[str, str] | None = None) -> list[Token]:
    """Content tokens of `text`: folded, abbreviations expanded, stemmed, stop words dropped."""
    out: list[Token] = []
    for word, start, end in words(text):
        expansion = abbreviations.get(word) if abbreviations else None
        pieces = [m.group() for m in _WORD.finditer(fold(expansion))] if expansion else [word]
        for piece in pieces:
            if piece not in STOP_WORDS:
                out.append(Token(stem(piece), start, end))
    return out


def term_tokens(text: str) -> tuple[str, ...]:
    """Content tokens of a dictionary term (no abbreviation expansion)."""
    return tuple(stem(w) for w, _, _ in words(text) if w not in STOP_WORDS)
