"""Text normalization shared by the search index and search queries.

Both sides go through the same steps, so a query matches a term whatever its case, punctuation,
accents, plural forms or word order: lower-case, accents removed, split on anything that is not a
letter or digit, a light plural stemmer, stop words dropped. Queries also expand the abbreviations
common in notes (HTN, T2DM, CHF, ...), kept as data in `abbreviations.tsv`.

>>> index_tokens("Fractures of the Ribs, NOS")
['fracture', 'rib', 'nos']
>>> query_tokens("T2DM w/ CKD")
['type', '2', 'diabete', 'mellitus', 'with', 'chronic', 'kidney', 'disease']
"""

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

STOP_WORDS = frozenset(
    {"a", "an", "the", "of", "and", "or", "to", "in", "on", "by", "as", "at", "for", "is", "s"}
)
_WORD = re.compile(r"w/o|w/|[0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case and strip accents."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light plural stemmer, applied alike to index and query words.

    >>> [stem(w) for w in ("injuries", "glasses", "fractures", "uterus", "diabetes", "psoriasis")]
    ['injury', 'glass', 'fracture', 'uterus', 'diabete', 'psoriasis']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    """Words of lower-cased, accent-free text; `w/` and `w/o` (with, without) survive as words."""
    return _WORD.findall(fold(text))


def index_tokens(text: str) -> list[str]:
    """Tokens of a term as stored in the search index (stop words dropped)."""
    return [stem(w) for w in _words(text) if w not in STOP_WORDS]


_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def essential_tokens(text: str) -> list[str]:
    """Index tokens outside parentheses: the words a term needs (nonessential modifiers dropped).

    >>> essential_tokens("Hypertension (arterial) (benign) (essential)")
    ['hypertension']
    """
    return index_tokens(_PARENTHESES.sub(" ", text)) or index_tokens(text)


@cache
def abbreviations() -> dict[str, str]:
    """The abbreviation → expansion table (lower-case keys)."""
    table = {}
    data = resources.files("medbill.codesets").joinpath("abbreviations.tsv").read_text(encoding="utf-8")
    for line in data.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, _, expansion = line.partition("\t")
        table[short.strip().lower()] = expansion.strip()
    return table


def query_tokens(text: str) -> list[str]:
    """Tokens of a search query: abbreviations expanded, then as `index_tokens`, duplicates removed."""
    table = abbreviations()
    out: list[str] = []
    for word in _words(text):
        expansion = table.get(word)
        pieces = _words(expansion) if expansion else [word]
        for piece in pieces:
            if piece in STOP_WORDS:
                continue
            token = stem(piece)
            if token not in out:
                out.append(token)
    return out
