"""Sentence alignment of a Spanish CodiEsp document with its English machine translation.

CodiEsp-X gives the evidence of each code as offsets into the Spanish text; the English text
(one sentence per line) has none. Aligning Spanish sentences to English lines by length — a
dynamic programme in the manner of Gale & Church (1993), with 1–1, 1–2, 2–1, 2–2, 1–3, 3–1 and
1–0/0–1 steps — tells which English lines carry each piece of evidence.

>>> es = "Varón de 37 años. Presenta fiebre alta y dolor.\\nSe pautó tratamiento."
>>> en = "A 37-year-old man.\\nHe had high fever and pain.\\nTreatment was given."
>>> mapping = align(spanish_sentences(es), english_lines(en))
>>> [mapping[i] for i in range(3)]
[[0], [1], [2]]
"""

import math
import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡0-9])")
_LINE = re.compile(r"[^\n]+")
_RATIO = 1.1  # Spanish runs about 10 % longer than English
_STEPS = (
    (1, 1, 0.0),
    (1, 2, 0.5),
    (2, 1, 0.5),
    (2, 2, 1.0),
    (1, 3, 1.5),
    (3, 1, 1.5),
    (1, 0, 3.0),
    (0, 1, 3.0),
)

Span = tuple[int, int]


def spanish_sentences(text: str) -> list[Span]:
    """Sentence spans of the Spanish text: line breaks, and `.!?` before a capital or digit."""
    out = []
    for line in _LINE.finditer(text):
        base, start = line.start(), 0
        for end in _SENTENCE_END.finditer(line.group()):
            out.append((base + start, base + end.start()))
            start = end.end()
        if line.group()[start:].strip():
            out.append((base + start, line.end()))
    return out


def english_lines(text: str) -> list[Span]:
    """Spans of the non-empty lines of the English text."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]


def _cost(es_len: int, en_len: int) -> float:
    r = math.log((es_len + 10) / (_RATIO * en_len + 10))
    return 8 * r * r


def align(es: list[Span], en: list[Span]) -> dict[int, list[int]]:
    """Spanish sentence index → the English line indexes it aligns with."""
    a = [e - s for s, e in es]
    b = [e - s for s, e in en]
    n, m = len(a), len(b)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            for di, dj, penalty in _STEPS:
                ii, jj = i + di, j + dj
                if ii > n or jj > m:
                    continue
                step = penalty + (_cost(sum(a[i:ii]), sum(b[j:jj])) if di and dj else 0.0)
                if here + step < cost[ii][jj]:
                    cost[ii][jj] = here + step
                    back[ii][jj] = (i, j)
    mapping: dict[int, list[int]] = {}
    i, j = n, m
    while (i, j) != (0, 0):
        prev = back[i][j]
        if prev is None:
            break
        pi, pj = prev
        for k in range(pi, i):
            mapping[k] = list(range(pj, j))
        i, j = pi, pj
    return mapping
