"""From scored proposals to the coded result, following the ICD-10-CM Official Guidelines.

- Present conditions are coded. Negated, hypothetical and relatives' conditions are not.
- Uncertain diagnoses ("probable", "suspected", ...): inpatient — coded as if established
  (Section II.H); outpatient — not coded, the documented signs and symptoms are (Section IV.H).
- "History of": the personal-history code (Z85–Z87, I25.2) — except chronic conditions, which the
  patient still has and which are coded as present. Relatives' conditions: the family-history code
  (Z80–Z84). Both tables are data (`data/status_codes.yaml`).
- Combination codes (I.A.15 "with", I.B.9): diabetes + CKD → E11.22 (+ N18.x), hypertension +
  heart failure → I11.0 (+ I50.x), ... (`data/combinations.yaml`).
- "Use additional code" companions are kept next to the code that asks for them.
- Excludes1 pairs: the lower-scored code of the pair is not coded.
- ICD-10-PCS codes are reported for inpatient records; HCPCS for drugs and supplies in any setting.
- Sequencing: principal/first-listed diagnosis first (a definitive diagnosis before symptoms;
  "code first" notes honoured), history/family status codes last, then procedures, then HCPCS.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from medbill.coding.assertion import Status
from medbill.coding.normalize import term_tokens
from medbill.coding.proposals import Proposal
from medbill.coding.result import CodedItem, Evidence
from medbill.coding.sections import SectionKind
from medbill.coding.terminology import Terminology

INPATIENT = "inpatient"
OUTPATIENT = "outpatient"
SETTINGS = (OUTPATIENT, INPATIENT)
# a learned term is evidence for a code only when the training annotators gave it that code in at
# least this share of the sentences it occurs in ("acute" → R52 in 2 of 95 is not evidence)
MIN_LEARNED_WEIGHT = 0.15
_ORDER = (Status.PRESENT, Status.POSSIBLE, Status.HISTORY, Status.FAMILY, Status.HYPOTHETICAL, Status.NEGATED)


@cache
def _data(name: str) -> dict[str, Any]:
    text = resources.files("medbill.coding").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _by_prefix(table: dict[str, str], code: str) -> str | None:
    bare = code.replace(".", "")
    for n in range(len(bare), 0, -1):
        key = bare[:n]
        for form in (key, f"{key[:3]}.{key[3:]}" if n > 3 else key):
            if form in table:
                return table[form]
    return None


def status_code(kind: str, code: str) -> str | None:
    """The history/family code for a condition code (`data/status_codes.yaml`)."""
    return _by_prefix({str(k): str(v) for k, v in _data("status_codes.yaml").get(kind, {}).items()}, code)


def is_chronic(code: str) -> bool:
    return any(code.startswith(p) for p in _data("status_codes.yaml").get("chronic", ()))


@dataclass(slots=True)
class Item:
    code: str
    system: str
    description: str
    score: float
    status: Status
    evidence: list[Evidence]
    rationale: list[str]
    coded: bool = True
    source: Proposal | None = None
    after: str = ""  # sequence right after this code (a companion)
    first_section: SectionKind | None = None
    extra: list[str] = field(default_factory=list)

    def freeze(self) -> CodedItem:
        return CodedItem(
            self.code,
            self.system,
            self.description,
            self.score,
            self.status,
            tuple(self.evidence),
            "; ".join(dict.fromkeys(self.rationale)),
            self.coded,
        )


def _evidence(proposal: Proposal, statuses: Sequence[Status] | None = None) -> list[Evidence]:
    seen = {}
    for mention, _ in proposal.support:
        if statuses is None or mention.status in statuses:
            seen[(mention.start, mention.end)] = Evidence(mention.start, mention.end, mention.text)
    return [seen[k] for k in sorted(seen)]


def _rationale(proposal: Proposal, status: Status) -> list[str]:
    out = []
    for mention, cand in proposal.support:
        if mention.status == status and cand.rationale not in out:
            out.append(cand.rationale)
    return out[:3]


_WEIGHT_CONDITIONS = ("E66", "E40", "E41", "E42", "E43", "E44", "E45", "E46", "R63.6", "R63.5", "R62.5")


def _unspecified(item: "Item") -> bool:
    return "unspecified" in item.description.lower() or item.code.endswith(".9")


class Conventions:
    def __init__(self, terminology: Terminology) -> None:
        self.t = terminology
        self.rules = _data("combinations.yaml").get("rules", [])

    # ------------------------------------------------------------------ statuses
    def _item(self, p: Proposal, setting: str, threshold: float) -> list[Item]:
        statuses = p.statuses()
        first = min((m for m, _ in p.support), key=lambda m: m.start, default=None)
        section = first.section if first else None
        if not p.support:
            why = [f"no term in the note; suggested by {p.suggested_by}: not coded without evidence"]
            item = Item(p.code, p.system, p.description, p.score, Status.PRESENT, [], why, False, p)
            return [item]
        credible = {m.status for m, c in p.support if m.source == "kb" or c.weight >= MIN_LEARNED_WEIGHT}
        if not credible:
            status = next(s for s in _ORDER if s in statuses)
            why = _rationale(p, status)
            why.append(
                f"only learned terms that rarely carry this code (< {MIN_LEARNED_WEIGHT:.0%}): not coded"
            )
            item = Item(
                p.code, p.system, p.description, p.score, status, _evidence(p, [status]), why, False, p
            )
            return [item]
        status = next(s for s in _ORDER if s in credible)
        evidence = _evidence(p, [status])
        why = _rationale(p, status)
        item = Item(
            p.code, p.system, p.description, p.score, status, evidence, why, False, p, first_section=section
        )
        out = [item]
        if status == Status.PRESENT:
            item.coded = True
        elif status == Status.POSSIBLE:
            if setting == INPATIENT:
                item.coded = True
                item.rationale.append(
                    "uncertain diagnosis coded as if established (inpatient, Guidelines II.H)"
                )
            else:
                item.rationale.append(
                    "uncertain diagnosis not coded in the outpatient setting (Guidelines IV.H): code its signs and symptoms"
                )
        elif status == Status.HISTORY and p.system == "icd10cm":
            if is_chronic(p.code):
                item.coded = True
                item.status = Status.PRESENT
                item.rationale.append("chronic condition documented as history: still present, coded")
            else:
                target = status_code("history", p.code)
                if target and target != p.code:
                    item.rationale.append(f"past condition: reported as {target}")
                    out.append(
                        self._converted(target, p, Status.HISTORY, evidence, f"personal history of {p.code}")
                    )
        elif status == Status.FAMILY and p.system == "icd10cm":
            target = status_code("family", p.code)
            if target:
                item.rationale.append(f"a relative's condition: reported as {target}")
                out.append(self._converted(target, p, Status.FAMILY, evidence, f"family history of {p.code}"))
        else:
            item.rationale.append(f"{status.value}: not coded")
        if item.coded and p.system == "icd10cm" and not self._billable(item.code):
            item.coded = False
            item.rationale.append("not billable: the note lacks the detail a billable code needs")
        if item.coded and p.system == "icd10pcs" and setting != INPATIENT:
            item.coded = False
            item.rationale.append("ICD-10-PCS is reported for inpatient stays only")
        if item.coded and p.score < threshold:
            if p.rule_sure:
                item.rationale.append(
                    f"re-ranker score {p.score:.2f} below its threshold {threshold:.2f}; coded on the rules"
                )
            else:
                item.coded = False
                item.rationale.append(f"score {p.score:.2f} below the decision threshold {threshold:.2f}")
        return out

    def _billable(self, code: str) -> bool:
        record = self.t.icd(code)
        return record is not None and record.billable

    def _converted(self, code: str, p: Proposal, status: Status, evidence: list[Evidence], why: str) -> Item:
        record = self.t.icd(code)
        description = record.description if record else ""
        return Item(code, "icd10cm", description, p.score, status, list(evidence), [why], True, p)

    # ------------------------------------------------------------------ combinations
    def _combine(self, items: list[Item]) -> list[Item]:
        coded = [i for i in items if i.coded and i.system == "icd10cm"]
        for rule in self.rules:
            for base in coded:
                if not base.coded or not any(base.code.startswith(w) for w in rule["when"]):
                    continue
                partner = next(
                    (
                        o
                        for o in coded
                        if o is not base and o.coded and any(o.code.startswith(w) for w in rule["with"])
                    ),
                    None,
                )
                if partner is None:
                    continue
                target = rule["code"].replace("{when}", base.code[:3])
                record = self.t.icd(target)
                if record is None or not record.billable or target == base.code:
                    continue
                if any(i.code == target and i.coded for i in items):
                    base.coded = False
                    continue
                combined = Item(
                    target,
                    "icd10cm",
                    record.description,
                    max(base.score, partner.score),
                    Status.PRESENT,
                    sorted(base.evidence + partner.evidence, key=lambda e: e.start),
                    [
                        f"combination code: {rule['name']} ({base.code} + {partner.code}, Guidelines I.A.15 'with')"
                    ],
                    True,
                    base.source,
                    first_section=base.first_section,
                )
                base.coded = False
                base.rationale.append(f"replaced by the combination code {target}")
                if rule.get("keep_with"):
                    partner.after = target
                    partner.rationale.append(f"use additional code with {target}")
                else:
                    partner.coded = False
                    partner.rationale.append(f"included in the combination code {target}")
                items.append(combined)
                coded.append(combined)
        return items

    # ------------------------------------------------------------------ companions and Excludes1
    def _companions(self, items: list[Item]) -> None:
        coded = {i.code: i for i in items if i.coded and i.system == "icd10cm"}
        for item in list(coded.values()):
            for note, codes in self.t.use_additional(item.code):
                for other in codes:
                    companion = coded.get(other)
                    if companion is not None and companion is not item and not companion.after:
                        companion.after = item.code
                        companion.rationale.append(f"use additional code with {item.code} ({note})")

    def _excludes1(self, items: list[Item]) -> None:
        # a definitive diagnosis wins over a sign or symptom (chapter R, Guidelines I.B.4-5), then
        # the higher score
        coded = sorted(
            (i for i in items if i.coded and i.system == "icd10cm"),
            key=lambda i: (i.code.startswith("R"), -i.score),
        )
        kept: list[Item] = []
        for item in coded:
            clash = next(
                ((k, note) for k in kept if (note := self.t.excludes1_conflict(k.code, item.code))), None
            )
            if clash is None:
                kept.append(item)
                continue
            winner, note = clash
            item.coded = False
            item.rationale.append(f"not coded with {winner.code}: {note}")
            winner.rationale.append(f"{item.code} dropped ({note})")

    def _specific_over_unspecified(self, items: list[Item]) -> None:
        """An unspecified code is not reported next to a specific code of the same category for
        the same condition ("COPD" J44.9 and "COPD with acute exacerbation" J44.1 → J44.1; but
        "Dyspnea, unspecified" R06.00 stays next to "Wheezing" R06.2)."""
        coded = [i for i in items if i.coded and i.system == "icd10cm"]
        for item in coded:
            if not _unspecified(item):
                continue
            words = set(term_tokens(item.description)) - {"unspecified"}
            better = next(
                (
                    o
                    for o in coded
                    if o is not item
                    and o.coded
                    and o.code[:3] == item.code[:3]
                    and not _unspecified(o)
                    and words <= set(term_tokens(o.description))
                ),
                None,
            )
            if better is not None:
                item.coded = False
                item.rationale.append(f"the more specific {better.code} of the same category is coded")

    def _integral_symptoms(self, items: list[Item]) -> None:
        """Symptoms routinely part of a coded diagnosis are not coded (Guidelines I.B.5,
        `data/integral_symptoms.yaml`)."""
        table = _data("integral_symptoms.yaml")
        coded = [i for i in items if i.coded and i.system == "icd10cm"]
        for diagnosis in coded:
            symptoms = next((v for k, v in table.items() if diagnosis.code.startswith(str(k))), None)
            if not symptoms:
                continue
            for item in coded:
                if item.coded and item is not diagnosis and item.code.startswith(tuple(symptoms)):
                    item.coded = False
                    item.rationale.append(
                        f"routinely part of {diagnosis.code} (Guidelines I.B.5): not coded separately"
                    )

    @staticmethod
    def _bmi_needs_a_condition(items: list[Item]) -> None:
        """A BMI code (Z68) is reported only with an associated condition: obesity, overweight,
        underweight, malnutrition (Guidelines I.B.14, I.C.21.c.3)."""
        coded = [i for i in items if i.coded and i.system == "icd10cm"]
        if any(i.code.startswith(_WEIGHT_CONDITIONS) for i in coded):
            return
        for item in coded:
            if item.code.startswith("Z68"):
                item.coded = False
                item.rationale.append("BMI reported only with an associated condition (Guidelines I.B.14)")

    # ------------------------------------------------------------------ sequencing
    @staticmethod
    def _sequence(items: list[Item]) -> list[Item]:
        def key(i: Item) -> tuple[float, ...]:
            system = {"icd10cm": 0, "icd10pcs": 1, "hcpcs": 2}.get(i.system, 3)
            status_last = i.status in (Status.HISTORY, Status.FAMILY) or i.code.startswith("Z")
            symptom = i.code.startswith("R")
            lead = i.first_section in (SectionKind.ASSESSMENT, SectionKind.CHIEF_COMPLAINT)
            return (system, status_last, symptom, not lead, -i.score)

        ordered = sorted(items, key=key)
        companions = [i for i in ordered if i.after]
        out = [i for i in ordered if not i.after]
        for comp in companions:
            index = next((n for n, i in enumerate(out) if i.code == comp.after), None)
            out.insert(len(out) if index is None else index + 1, comp)
        return out

    def apply(
        self, proposals: Sequence[Proposal], setting: str, thresholds: dict[str, float]
    ) -> tuple[list[CodedItem], list[CodedItem]]:
        """(coded, others): coded in sequence order, others by score."""
        items: list[Item] = []
        for p in proposals:
            items.extend(self._item(p, setting, thresholds.get(p.system, 0.5)))
        items = self._combine(items)
        self._companions(items)
        self._excludes1(items)
        self._specific_over_unspecified(items)
        self._integral_symptoms(items)
        self._bmi_needs_a_condition(items)
        merged: dict[tuple[str, bool], Item] = {}
        for item in items:
            key = (item.code, item.coded)
            if key in merged:
                merged[key].evidence = sorted({*merged[key].evidence, *item.evidence}, key=lambda e: e.start)
                merged[key].score = max(merged[key].score, item.score)
            else:
                merged[key] = item
        coded_codes = {c for c, flag in merged if flag}
        coded = self._sequence([i for (_, flag), i in merged.items() if flag])
        others = sorted(
            (i for (c, flag), i in merged.items() if not flag and c not in coded_codes),
            key=lambda i: -i.score,
        )
        return [i.freeze() for i in coded], [i.freeze() for i in others]
