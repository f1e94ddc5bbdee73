"""The feature vector the re-ranker scores a proposal by: how the note names the code (which
dictionary, how long a term, how often, in what assertion status and section), what the learned
lexicon says about its phrases, how many similar coded documents carry it, and how common it is.
"""

import math
from collections.abc import Mapping, Sequence

import numpy as np

from medbill.coding.assertion import Status
from medbill.coding.proposals import Proposal
from medbill.coding.sections import SectionKind

NAMES = (
    "kb_mentions",
    "kb_weight",
    "kb_description",
    "kb_inclusion",
    "kb_table",
    "kb_pcs",
    "kb_hcpcs",
    "kb_tokens",
    "kb_outermost",
    "kb_descended",
    "lex_noisy_or",
    "lex_max_p",
    "lex_mentions",
    "lex_tokens",
    "lex_max_count",
    "present",
    "negated",
    "possible",
    "history",
    "family",
    "hypothetical",
    "mentions",
    "first_position",
    "in_assessment",
    "in_history",
    "knn",
    "knn_rank",
    "knn_category",
    "prior",
    "known",
    "chapter",
    "label_length",
    "system",
    "pcs_root",
    "ambiguity",
)
_STATUSES = (
    Status.PRESENT,
    Status.NEGATED,
    Status.POSSIBLE,
    Status.HISTORY,
    Status.FAMILY,
    Status.HYPOTHETICAL,
)
_ASSESSMENT = {SectionKind.ASSESSMENT, SectionKind.CHIEF_COMPLAINT}
_HISTORY = {SectionKind.PAST_HISTORY, SectionKind.SURGICAL_HISTORY, SectionKind.FAMILY_HISTORY}
_SYSTEM = {"icd10cm": 0, "icd10pcs": 1, "hcpcs": 2}


def vector(
    proposal: Proposal,
    label: str,
    text_length: int,
    knn: Mapping[str, float],
    knn_rank: Mapping[str, int],
    knn_category: Mapping[str, float],
    priors: Mapping[str, int],
) -> np.ndarray:
    f = np.zeros(len(NAMES))
    kb = [(m, c) for m, c in proposal.support if m.source == "kb"]
    learned = [(m, c) for m, c in proposal.support if m.source != "kb"]
    if kb:
        kinds = {c.kind for _, c in kb}
        f[0] = len(kb)
        f[1] = max(c.weight for _, c in kb)
        f[2] = bool(kinds & {"description", "index"})
        f[3] = "inclusion" in kinds
        f[4] = bool(kinds & {"neoplasm", "drug", "ecause"})
        f[5] = "pcs_index" in kinds
        f[6] = "hcpcs" in kinds
        f[7] = max(len(m.text.split()) for m, _ in kb)
        f[8] = any(not m.contained for m, _ in kb)
        f[9] = any("→" in c.rationale for _, c in kb)
    if learned:
        miss = 1.0
        for _, c in learned:
            miss *= 1 - c.weight
        f[10] = 1 - miss
        f[11] = max(c.weight for _, c in learned)
        f[12] = len(learned)
        f[13] = max(len(m.text.split()) for m, _ in learned)
        f[14] = max(c.count for _, c in learned)
    if proposal.support:
        n = len(proposal.support)
        for i, status in enumerate(_STATUSES):
            f[15 + i] = sum(1 for m, _ in proposal.support if m.status == status) / n
        f[21] = n
        f[22] = min(m.start for m, _ in proposal.support) / max(text_length, 1)
        f[23] = any(m.section in _ASSESSMENT for m, _ in proposal.support)
        f[24] = any(m.section in _HISTORY for m, _ in proposal.support)
        f[34] = max(len(m.candidates) for m, _ in proposal.support)
    f[25] = knn.get(label, 0.0)
    rank = knn_rank.get(label)
    f[26] = 1.0 / rank if rank else 0.0
    f[27] = knn_category.get(label[:3], 0.0)
    f[28] = math.log1p(priors.get(label, 0))
    f[29] = label in priors
    f[30] = ord(label[0]) if label else 0
    f[31] = len(label)
    f[32] = _SYSTEM.get(proposal.system, 3)
    f[33] = proposal.system == "icd10pcs" and len(proposal.code) == 4
    return f


def knn_tables(scores: Mapping[str, float]) -> tuple[dict[str, int], dict[str, float]]:
    """Rank of each label (1 = best) and the summed score of each 3-character category."""
    ranked: Sequence[str] = sorted(scores, key=lambda k: -scores[k])
    category: dict[str, float] = {}
    for label, value in scores.items():
        category[label[:3]] = category.get(label[:3], 0.0) + value
    return {label: i + 1 for i, label in enumerate(ranked)}, category
