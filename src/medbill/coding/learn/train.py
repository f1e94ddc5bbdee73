"""Training the coder's learned parts on a coded corpus split (CodiEsp train).

1. Find the English phrase of every CodiEsp-X reference (`lexicon.extract_phrases`), once.
2. Five-fold cross-validation over the documents: for each fold, a learned lexicon, neighbour
   index, label space and priors from the other four folds; the coder analyses the held-out
   documents; every proposal becomes a feature vector with its label (is the code in the gold
   standard?). This gives out-of-fold training rows for the re-ranker, as it will meet new notes.
3. One re-ranker per code system (gradient-boosted trees) on those rows; decision thresholds
   chosen to maximise micro F1 on inner out-of-fold predictions, which also give the
   cross-validated MAP/F1 reported.
4. The final lexicon, index, label space and priors from the whole split.
"""

import collections
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from medbill.coding.codiesp import Track, documents, is_diagnosis_code, load_gold
from medbill.coding.document import Document
from medbill.coding.engine import Coder
from medbill.coding.learn.knn import NeighbourIndex
from medbill.coding.learn.labels import LabelSpace
from medbill.coding.learn.lexicon import Phrase, build_lexicon, extract_phrases
from medbill.coding.learn.model import CodingModel
from medbill.coding.metrics import micro_prf, score_ranked
from medbill.coding.terms import SIDE_TOKENS

FOLDS = 5
SYSTEMS = {"icd10cm": Track.D, "icd10pcs": Track.P}
BOOSTING = {
    "max_iter": 300,
    "learning_rate": 0.05,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
}

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class Rows:
    documents: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)
    targets: list[bool] = field(default_factory=list)


@dataclass(slots=True)
class TrainReport:
    documents: int
    phrases: int
    seconds: float
    cv: dict[str, dict[str, float]]
    thresholds: dict[str, float]


def _describe(coder: Coder) -> Callable[[str], Sequence[str]]:
    def describe(code: str) -> Sequence[str]:
        key = code.upper()
        if is_diagnosis_code(code):
            bare = key.replace(".", "")
            while len(bare) >= 3:
                record = coder.terminology.icd(bare)
                if record is not None:
                    return (record.description, *record.notes.get("inclusion_terms", ()))
                bare = bare[:-1]
            return ()
        text = coder.terminology.pcs_description(key) or coder.terminology.pcs_description(key[:4])
        return (text,) if text else ()

    return describe


def _sentences(coder: Coder, texts: Iterable[str]) -> list[list[str]]:
    out: list[list[str]] = []
    for text in texts:
        doc = Document.prepare(text, coder.abbreviations)
        out.extend([t.norm for t in s.tokens if t.norm not in SIDE_TOKENS] for s in doc.sentences)
    return out


def fold_model(
    coder: Coder,
    ids: Sequence[str],
    texts: dict[str, str],
    gold: dict[str, list[str]],
    phrases: Sequence[Phrase],
) -> CodingModel:
    """Lexicon, neighbours, label space and priors from the documents `ids` (no re-ranker yet)."""
    chosen = set(ids)
    lexicon = build_lexicon(
        (p for p in phrases if p.document in chosen), _sentences(coder, (texts[i] for i in ids))
    )
    neighbours = NeighbourIndex([texts[i] for i in ids], [gold.get(i, []) for i in ids])
    priors = collections.Counter(c for i in ids for c in gold.get(i, []))
    return CodingModel(lexicon, neighbours, LabelSpace(priors), dict(priors), {}, {})


def _rows(
    coder: Coder, ids: Sequence[str], texts: dict[str, str], gold: dict[str, list[str]], rows: dict[str, Rows]
) -> None:
    for doc in ids:
        analysis = coder.analyse(texts[doc])
        if analysis.vectors is None:
            continue
        wanted = set(gold.get(doc, []))
        for proposal, label, vector in zip(
            analysis.proposals, analysis.labels, analysis.vectors, strict=True
        ):
            bucket = rows.get(proposal.system)
            if bucket is None:
                continue
            bucket.documents.append(doc)
            bucket.labels.append(label)
            bucket.vectors.append(vector)
            bucket.targets.append(label in wanted)


def _inner_cv(rows: Rows, seed: int) -> np.ndarray:
    """Out-of-fold re-ranker predictions for the training rows (folds by document)."""
    X = np.array(rows.vectors)
    y = np.array(rows.targets)
    docs = sorted(set(rows.documents))
    random.Random(seed).shuffle(docs)
    fold_of = {d: i % FOLDS for i, d in enumerate(docs)}
    folds = np.array([fold_of[d] for d in rows.documents])
    out = np.zeros(len(y))
    for k in range(FOLDS):
        train = folds != k
        if y[train].any() and (~y[train]).any():
            model = HistGradientBoostingClassifier(random_state=seed, **BOOSTING).fit(X[train], y[train])
            out[folds == k] = model.predict_proba(X[folds == k])[:, 1]
    return out


def _evaluate(
    rows: Rows, scores: np.ndarray, gold: dict[str, list[str]]
) -> tuple[float, float, float, float, float]:
    """(MAP, best threshold, P, R, F1) of scored rows against gold."""
    ranked: dict[str, list[tuple[float, str]]] = collections.defaultdict(list)
    for doc, label, s in zip(rows.documents, rows.labels, scores, strict=True):
        ranked[doc].append((s, label))
    order = {d: [label for _, label in sorted(v, key=lambda x: -x[0])] for d, v in ranked.items()}
    docs = {d for d in gold if gold[d]}
    result = score_ranked(order, {d: gold[d] for d in docs})
    best = (0.0, 0.5, 0.0, 0.0)
    for threshold in np.arange(0.1, 0.71, 0.025):
        chosen = {d: {label for s, label in v if s >= threshold} for d, v in ranked.items()}
        prf = micro_prf(chosen, {d: gold[d] for d in docs})
        if prf.f1 > best[0]:
            best = (prf.f1, float(threshold), prf.precision, prf.recall)
    return result.map, best[1], best[2], best[3], best[0]


def train(
    split_dir: Path, coder: Coder, *, seed: int = 0, progress: Progress | None = None
) -> tuple[CodingModel, TrainReport]:
    """Learn a model from a CodiEsp split; `coder` brings the knowledge base and dictionary."""
    started = time.perf_counter()
    texts = documents(split_dir)
    gold_by_track = {t: load_gold(split_dir, t) for t in Track}
    gold: dict[str, list[str]] = {
        d: gold_by_track[Track.D].get(d, []) + gold_by_track[Track.P].get(d, []) for d in texts
    }
    ids = sorted(texts)
    if progress:
        progress("aligning evidence", 0, 1)
    phrases = extract_phrases(split_dir, _describe(coder), coder.abbreviations)
    shuffled = ids[:]
    random.Random(seed).shuffle(shuffled)
    folds = [shuffled[k::FOLDS] for k in range(FOLDS)]
    rows = {system: Rows() for system in SYSTEMS}
    saved = coder.model
    try:
        for k, held_out in enumerate(folds):
            if progress:
                progress("cross-validation folds", k, FOLDS)
            rest = [i for i in ids if i not in set(held_out)]
            coder.model = fold_model(coder, rest, texts, gold, phrases)
            _rows(coder, held_out, texts, gold, rows)
    finally:
        coder.model = saved
    if progress:
        progress("fitting re-rankers", FOLDS, FOLDS)
    rerankers = {}
    thresholds = {}
    cv: dict[str, dict[str, float]] = {}
    for system, track in SYSTEMS.items():
        bucket = rows[system]
        if not bucket.targets or not any(bucket.targets):
            continue
        oof = _inner_cv(bucket, seed)
        map_, threshold, p, r, f1 = _evaluate(bucket, oof, gold_by_track[track])
        cv[track.value] = {"map": map_, "precision": p, "recall": r, "f1": f1, "threshold": threshold}
        thresholds[system] = threshold
        rerankers[system] = HistGradientBoostingClassifier(random_state=seed, **BOOSTING).fit(
            np.array(bucket.vectors), np.array(bucket.targets)
        )
    model = fold_model(coder, ids, texts, gold, phrases)
    model.rerankers = rerankers
    model.thresholds = thresholds
    model.meta = {
        "trained_on": str(split_dir),
        "documents": len(ids),
        "phrases": len(phrases),
        "kb_releases": list(coder.terminology.releases()),
        "cv": cv,
        "seed": seed,
    }
    report = TrainReport(len(ids), len(phrases), time.perf_counter() - started, cv, thresholds)
    return model, report
