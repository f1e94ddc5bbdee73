"""Scores of a ranked code list against gold codes, as the CodiEsp track defines them.

MAP follows the official CodiEsp-D/P script (trectools `get_map(trec_eval=False)`): predictions keep
the order given; a code repeated in one document counts once (first place); codes outside the
valid-code list are dropped *before* ranks are counted; only the first 1,000 are read; the average
precision of a document is the sum of precision@k over the ranks k of its gold codes, divided by its
number of gold codes; the mean is taken over the documents that have both gold codes and
predictions (a trectools quirk: a document with gold codes but no prediction is left out, not
scored 0). `strict_map` scores such documents as 0.

Micro precision, recall and F1 count (document, code) pairs above a decision threshold.

>>> round(average_precision(["a", "x", "b"], {"a", "b"}), 4)
0.8333
>>> s = score_ranked({"d1": ["a", "x", "b"]}, {"d1": {"a", "b"}, "d2": {"c"}})
>>> round(s.map, 4), round(s.strict_map, 4), s.documents
(0.8333, 0.4167, 1)
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

DEPTH = 1000


def dedupe(codes: Iterable[str], valid: Collection[str] | None = None, depth: int = DEPTH) -> list[str]:
    """Lower-case, keep the first of repeated codes, drop codes outside `valid`, cut at `depth`."""
    seen: set[str] = set()
    out: list[str] = []
    for raw in codes:
        code = raw.strip().lower()
        if code in seen or (valid is not None and code not in valid):
            continue
        seen.add(code)
        out.append(code)
        if len(out) == depth:
            break
    return out


def average_precision(ranked: Sequence[str], gold: Collection[str]) -> float:
    """Average precision of one ranked list (already deduplicated) against a non-empty gold set."""
    if not gold:
        raise ValueError("average precision needs at least one gold code")
    hits = 0
    total = 0.0
    for rank, code in enumerate(ranked, start=1):
        if code in gold:
            hits += 1
            total += hits / rank
    return total / len(gold)


@dataclass(frozen=True, slots=True)
class PRF:
    """Micro-averaged precision / recall / F1 with their counts."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def micro_prf(predicted: Mapping[str, Collection[str]], gold: Mapping[str, Collection[str]]) -> PRF:
    """Micro P/R/F1 over (document, code) pairs; documents missing on one side count as empty."""
    tp = fp = fn = 0
    for doc in set(predicted) | set(gold):
        p = {c.lower() for c in predicted.get(doc, ())}
        g = {c.lower() for c in gold.get(doc, ())}
        tp += len(p & g)
        fp += len(p - g)
        fn += len(g - p)
    return PRF(tp, fp, fn)


@dataclass(frozen=True, slots=True)
class RankScore:
    """MAP over documents (official and strict), and per-document average precision."""

    map: float
    strict_map: float
    documents: int
    gold_documents: int
    per_document: Mapping[str, float]


def score_ranked(
    ranked: Mapping[str, Sequence[str]],
    gold: Mapping[str, Collection[str]],
    valid: Collection[str] | None = None,
) -> RankScore:
    """CodiEsp MAP of ranked predictions per document against gold codes per document."""
    gold_sets = {doc: {c.lower() for c in codes} for doc, codes in gold.items() if codes}
    per_doc: dict[str, float] = {}
    for doc, codes in ranked.items():
        if doc not in gold_sets:
            continue
        kept = dedupe(codes, valid)
        if kept:
            per_doc[doc] = average_precision(kept, gold_sets[doc])
    total = sum(per_doc.values())
    official = total / len(per_doc) if per_doc else 0.0
    strict = total / len(gold_sets) if gold_sets else 0.0
    return RankScore(official, strict, len(per_doc), len(gold_sets), per_doc)
