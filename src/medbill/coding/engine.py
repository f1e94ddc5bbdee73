"""The coder: note text → coded result. `code_note(text, setting=..., on=...)` is the entry point.

Stages (each its own module): `document` (sections, sentences, tokens with abbreviations expanded)
→ `mentions` (dictionary matches, assertion, entries filtered and resolved to reportable codes)
→ `proposals` (candidates per code) → scoring (the learned re-ranker when a model is installed,
otherwise the rule scores: kind of term × assertion) → `conventions` (what is coded, combination
codes, companions, Excludes1, sequencing).

The rule-following engine needs only the knowledge base; the learned model (`medbill coding
train`) adds a learned lexicon, similar-case suggestions and a re-ranker.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import threadpool_limits

from medbill.coding import features
from medbill.coding.assertion import Status
from medbill.coding.conventions import SETTINGS, Conventions
from medbill.coding.dictionary import Matcher
from medbill.coding.document import Document
from medbill.coding.injuries import Injuries
from medbill.coding.learn.model import CodingModel, load_model
from medbill.coding.mentions import MentionFinder, Source
from medbill.coding.proposals import Proposal, gather
from medbill.coding.resolve import Resolver
from medbill.coding.result import CodingResult
from medbill.coding.terminology import Terminology
from medbill.coding.terms import build_dictionary
from medbill.core.errors import InputError

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase

RULE_THRESHOLD = 0.3
# similar-case labels considered per note (30, 60, 100 compared by cross-validation on train)
SUGGESTIONS = 60
_STATUS_FACTOR = {
    Status.PRESENT: 1.0,
    Status.POSSIBLE: 0.8,
    Status.HISTORY: 0.7,
    Status.FAMILY: 0.6,
    Status.HYPOTHETICAL: 0.3,
    Status.NEGATED: 0.2,
}


@dataclass(slots=True)
class Analysis:
    """Everything the coder computed for one note, before conventions."""

    document: Document
    mentions: list
    proposals: list[Proposal]
    labels: list[str]
    vectors: np.ndarray | None


class Coder:
    """A coder bound to a knowledge base, a date and (optionally) a learned model."""

    def __init__(
        self,
        kb: "KnowledgeBase",
        on: date | None = None,
        model: CodingModel | None = None,
        matcher: Matcher | None = None,
    ) -> None:
        from medbill.codesets.text import abbreviations

        self.on = on
        self.terminology = Terminology(kb, on)
        self.matcher = matcher or build_dictionary(self.terminology).compile()
        self.resolver = Resolver(self.terminology)
        self.finder = MentionFinder(self.resolver)
        self.injuries = Injuries(self.terminology)
        self.conventions = Conventions(self.terminology)
        self.abbreviations = abbreviations()
        self.model = model

    # ------------------------------------------------------------------ analysis
    def _sources(self) -> list[Source]:
        sources = [Source("kb", self.matcher)]
        if self.model is not None:
            sources.append(Source("learned", self.model.lexicon))
        return sources

    def _describe(self, proposal: Proposal) -> None:
        if proposal.description:
            return
        if proposal.system == "icd10cm":
            record = self.terminology.icd(proposal.code)
            proposal.description = record.description if record else ""
        elif proposal.system == "icd10pcs":
            proposal.description = self.terminology.pcs_description(proposal.code)
        else:
            proposal.description = self.terminology.hcpcs_description(proposal.code)

    def analyse(self, text: str, use_model: bool = True) -> Analysis:
        doc = Document.prepare(text, self.abbreviations)
        model = self.model if use_model else None
        sources = [Source("kb", self.matcher)] + ([Source("learned", model.lexicon)] if model else [])
        mentions = self.injuries.apply(doc, self.finder.find(doc, sources))
        proposals = gather(mentions)
        if model is None:
            return Analysis(doc, mentions, proposals, [p.code.lower() for p in proposals], None)
        knn = model.neighbours.scores(text)
        ranks, categories = features.knn_tables(knn)
        labels = [model.labels.label(p.code) for p in proposals]
        covered = set(labels)
        for label in sorted(knn, key=lambda k: -knn[k])[:SUGGESTIONS]:
            if label in covered:
                continue
            resolved = (
                self.resolver.icd(label, [], 0)
                if "." in label or len(label) == 3
                else self.resolver.pcs(label)
            )
            if resolved is None:
                continue
            system = "icd10cm" if "." in label or len(label) == 3 else "icd10pcs"
            proposals.append(
                Proposal(
                    resolved.code,
                    system,
                    resolved.description,
                    suggested_by=f"similar coded cases (kNN {knn[label]:.2f})",
                )
            )
            labels.append(label)
            covered.add(label)
        vectors = np.array(
            [
                features.vector(p, label, len(text), knn, ranks, categories, model.priors)
                for p, label in zip(proposals, labels, strict=True)
            ]
        ).reshape(len(proposals), len(features.NAMES))
        return Analysis(doc, mentions, proposals, labels, vectors)

    # ------------------------------------------------------------------ scoring
    @staticmethod
    def rule_score(proposal: Proposal) -> float:
        best = 0.0
        for mention, cand in proposal.support:
            value = cand.weight * _STATUS_FACTOR[mention.status] * (0.4 if mention.contained else 1.0)
            best = max(best, value)
        return best

    def score(self, analysis: Analysis, use_model: bool = True) -> dict[str, float]:
        """Sets each proposal's score; returns the thresholds to code by."""
        model = self.model if use_model else None
        if model is None or analysis.vectors is None or not len(analysis.proposals):
            for p in analysis.proposals:
                p.score = self.rule_score(p)
            return {"icd10cm": RULE_THRESHOLD, "icd10pcs": RULE_THRESHOLD, "hcpcs": RULE_THRESHOLD}
        for system in {p.system for p in analysis.proposals}:
            rows = [i for i, p in enumerate(analysis.proposals) if p.system == system]
            reranker = model.rerankers.get(system)
            if reranker is None:
                for i in rows:
                    analysis.proposals[i].score = self.rule_score(analysis.proposals[i])
                continue
            with threadpool_limits(1):
                probabilities = reranker.predict_proba(analysis.vectors[rows])[:, 1]
            for i, value in zip(rows, probabilities, strict=True):
                proposal = analysis.proposals[i]
                proposal.score = float(value)
                proposal.rule_sure = self.rule_score(proposal) >= RULE_THRESHOLD
        thresholds = {"hcpcs": RULE_THRESHOLD}
        thresholds.update(model.thresholds)
        return thresholds

    # ------------------------------------------------------------------ coding
    def code(self, text: str, setting: str = "outpatient", use_model: bool = True) -> CodingResult:
        if setting not in SETTINGS:
            raise InputError(f"setting: {setting!r} is not one of {', '.join(SETTINGS)}")
        if not text.strip():
            return CodingResult((), (), (), setting, self.on)
        analysis = self.analyse(text, use_model)
        thresholds = self.score(analysis, use_model)
        for p in analysis.proposals:
            self._describe(p)
        coded, others = self.conventions.apply(analysis.proposals, setting, thresholds)
        return CodingResult(tuple(coded), tuple(others), tuple(analysis.mentions), setting, self.on)


_lock = threading.Lock()
_coders: dict[tuple[str, tuple[str, ...], bool], Coder] = {}
_kbs: dict[str, "KnowledgeBase"] = {}


def get_coder(on: date | None = None, use_model: bool = True) -> Coder:
    """A cached coder for the installed knowledge base and model. Dates of service answered by the
    same code-set releases share one coder (building the dictionary takes seconds)."""
    from medbill.codesets import open_kb
    from medbill.settings import get_settings

    settings = get_settings()
    with _lock:
        kb = _kbs.get(str(settings.kb_path))
        if kb is None:
            kb = _kbs[str(settings.kb_path)] = open_kb()
        releases = tuple(sorted(kb.releases_on(on, ("icd10cm", "icd10pcs", "hcpcs"))))
        key = (str(settings.kb_path), releases, use_model)
        coder = _coders.get(key)
        if coder is None:
            model = load_model() if use_model else None
            coder = _coders[key] = Coder(kb, on, model)
        return coder


def code_note(
    text: str, setting: str = "outpatient", on: date | None = None, use_model: bool = True
) -> CodingResult:
    """Code a clinical note: ICD-10-CM diagnoses, ICD-10-PCS procedures (inpatient), HCPCS drugs and
    supplies, each with a score, an assertion status, evidence spans and a rationale."""
    result = get_coder(on, use_model).code(text, setting, use_model)
    return result if result.on == on else replace(result, on=on)


def codes_of(result: CodingResult, systems: Sequence[str] = ("icd10cm", "icd10pcs", "hcpcs")) -> list[str]:
    return [c.code for c in result.codes if c.system in systems]
