"""CodiEsp evaluation: code every note of a split and score against its gold standard.

Two readings of the coder's output are scored:

- `mentioned` (the headline, matching CodiEsp's annotation guidelines, which code every
  diagnosis and procedure the case *mentions*, negated ones included — e.g. "extremities without
  edema" is annotated R60.9): every code the coder considered, ranked by score.
- `coded`: only what medbill codes for billing (negated, family, outpatient-uncertain and
  below-threshold codes left out), ranked by score.

Codes are mapped to the corpus label space first (`learn.labels.LabelSpace`: CIE-10-ES 2018 forms
seen in the training gold, e.g. 2026 `N18.31` → `n18.3`, `S39.94XA` → `s39.94x`). MAP and micro
P/R/F1 as in `metrics`; F1 counts, for `mentioned`, the codes at or above the decision threshold,
for `coded`, the codes medbill codes.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medbill.coding.codiesp import Track, documents, load_gold
from medbill.coding.engine import Coder
from medbill.coding.learn.labels import LabelSpace
from medbill.coding.metrics import dedupe, micro_prf, score_ranked
from medbill.coding.result import CodedItem, CodingResult

SYSTEM = {Track.D: "icd10cm", Track.P: "icd10pcs"}
MODES = ("mentioned", "coded")


@dataclass(frozen=True, slots=True)
class Scores:
    mode: str
    map: float
    strict_map: float
    precision: float
    recall: float
    f1: float
    documents: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "map": round(self.map, 4),
            "strict_map": round(self.strict_map, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "documents": self.documents,
        }


def ranked_items(result: CodingResult, system: str, mode: str) -> list[CodedItem]:
    items = list(result.codes) if mode == "coded" else [*result.codes, *result.others]
    return sorted((i for i in items if i.system == system), key=lambda i: -i.score)


def labelled(items: Iterable[CodedItem], labels: LabelSpace) -> list[str]:
    return dedupe(labels.label(i.code) for i in items)


def score_results(
    results: dict[str, CodingResult],
    gold: dict[str, list[str]],
    track: Track,
    labels: LabelSpace,
    thresholds: dict[str, float],
) -> list[Scores]:
    system = SYSTEM[track]
    threshold = thresholds.get(system, 0.5)
    out = []
    for mode in MODES:
        ranked = {}
        chosen = {}
        for doc, result in results.items():
            items = ranked_items(result, system, mode)
            ranked[doc] = labelled(items, labels)
            above = (
                [i for i in items if i.coded]
                if mode == "coded"
                else [i for i in items if i.score >= threshold]
            )
            chosen[doc] = labelled(above, labels)
        rank = score_ranked(ranked, gold)
        prf = micro_prf(chosen, {d: g for d, g in gold.items() if d in results})
        out.append(
            Scores(mode, rank.map, rank.strict_map, prf.precision, prf.recall, prf.f1, rank.gold_documents)
        )
    return out


def code_split(
    coder: Coder,
    split_dir: Path,
    setting: str = "inpatient",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, CodingResult]:
    texts = documents(split_dir)
    out = {}
    for n, (doc, text) in enumerate(texts.items(), start=1):
        out[doc] = coder.code(text, setting)
        if progress:
            progress(n, len(texts))
    return out


def evaluate(
    coder: Coder,
    split_dir: Path,
    track: Track,
    setting: str = "inpatient",
    progress: Callable[[int, int], None] | None = None,
) -> list[Scores]:
    """Scores of the coder on a CodiEsp split for one track."""
    gold = load_gold(split_dir, track)
    results = code_split(coder, split_dir, setting, progress)
    model = coder.model
    labels = model.labels if model is not None else LabelSpace(())
    thresholds = dict(model.thresholds) if model is not None else {}
    if model is None:
        from medbill.coding.engine import RULE_THRESHOLD

        thresholds = {s: RULE_THRESHOLD for s in SYSTEM.values()}
    return score_results(results, gold, track, labels, thresholds)
