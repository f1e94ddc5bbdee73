"""Rules across the lines of one day and provider: bilateral pairs, multiple procedures, endoscopy
families, and the component reductions of imaging, cardiology, ophthalmology and therapy.

Multiple procedures (MULT PROC 1, 2, 3): every paid unit is a procedure; procedures are ranked
by amount (after the bilateral, assistant and co-surgeon percentages; ties by line order) and paid
100% for the first, 50% for each other (indicator 1, the pre-1995 rule: 25% from the third).
CMS prices the sixth and later procedures "by report"; they are estimated at 50% with a warning.

Endoscopy families (MULT PROC 3): endoscopies with the same ENDO BASE code billed the same day
are one family. The highest-valued one is paid in full; each other is paid its fee minus the fee
of the base endoscopy (never below zero); the base code billed with a member of its family is not
paid separately. The family's total then counts as one procedure in the 100%/50% ranking.

RT/LT on two lines of one code (no modifier 50) are the two sides of one bilateral procedure:
with indicator 1 the second side is paid 50% (150% in all), with 0 or 2 it is not paid (100% in
all), with 3 each side is paid in full; the pair ranks as one procedure.

Component reductions, each within one day's services of that indicator (imaging: the same
provider and session — one day is taken as one session):

| MULT PROC | reduced part, second and later units ranked by that part |
|---|---|
| 4 diagnostic imaging | technical component 50%, professional component 5% |
| 5 therapy | practice expense 50% |
| 6 diagnostic cardiovascular | technical component 25% |
| 7 diagnostic ophthalmology | technical component 20% |
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from medbill.core.findings import Finding, Severity
from medbill.core.money import ZERO
from medbill.pricing.lines import LineWork, Unit
from medbill.pricing.modifiers import percent

_HALF = Decimal("0.5")
_QUARTER = Decimal("0.25")
_COMPONENT_RULES: dict[str, tuple[tuple[str, Decimal, str], ...]] = {
    "4": (("tc", Decimal("0.50"), "technical component"), ("pc", Decimal("0.05"), "professional component")),
    "5": (("pe", Decimal("0.50"), "practice expense"),),
    "6": (("tc", Decimal("0.25"), "technical component"),),
    "7": (("tc", Decimal("0.20"), "technical component"),),
}


@dataclass(slots=True)
class _Procedure:
    parts: list[tuple[LineWork, Unit]] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((unit.amount for _, unit in self.parts), ZERO)

    @property
    def first(self) -> int:
        return min(work.number for work, _ in self.parts)

    @property
    def indicator(self) -> str:
        return self.parts[0][0].mult


def bilateral_pairs(works: list[LineWork]) -> dict[int, LineWork]:
    """RT/LT lines of one code, day and provider: map the second side's line number to the first's."""
    pairs: dict[int, LineWork] = {}
    open_sides: dict[tuple[object, ...], LineWork] = {}
    for work in works:
        mods = set(work.line.modifiers)
        if not work.payable or work.row is None or "50" in mods or work.line.units != 1:
            continue
        side = (
            "RT" if "RT" in mods and "LT" not in mods else "LT" if "LT" in mods and "RT" not in mods else ""
        )
        if not side or work.row.bilateral not in ("0", "1", "2"):
            continue
        other = "LT" if side == "RT" else "RT"
        key = (work.group, work.row.hcpcs, work.row.modifier)
        partner = open_sides.pop((*key, other), None)
        if partner is None:
            open_sides[(*key, side)] = work
            continue
        pairs[work.number] = partner
        share = _HALF if work.row.bilateral == "1" else ZERO
        for unit in work.units:
            _scale(unit, share)
        work.note(
            "bilateral (RT/LT pair)",
            percent(share),
            f"second side of line {partner.number}; bilateral indicator {work.row.bilateral}: "
            + ("150% for both sides" if share else "100% for both sides"),
        )
    return pairs


def apply_multiple_procedures(
    works: list[LineWork],
    pairs: dict[int, LineWork],
    base_fee: Callable[[LineWork, str], Decimal | None],
) -> list[Finding]:
    """Rank and reduce the procedures (MULT PROC 1, 2, 3) of each day and provider."""
    findings: list[Finding] = []
    groups: dict[object, list[LineWork]] = defaultdict(list)
    for work in works:
        if work.payable and work.mult in ("1", "2", "3") and work.units:
            groups[work.group].append(work)
    for members in groups.values():
        procedures = _procedures(members, pairs, base_fee)
        if len(procedures) < 2:
            continue
        procedures.sort(key=lambda p: (-p.amount, p.first))
        count = len(procedures)
        for rank, procedure in enumerate(procedures, start=1):
            share = (
                Decimal("1") if rank == 1 else _QUARTER if rank >= 3 and procedure.indicator == "1" else _HALF
            )
            for _, unit in procedure.parts:
                _scale(unit, share)
            for work in dict.fromkeys(w for w, _ in procedure.parts):
                work.note(
                    "multiple procedure",
                    percent(share),
                    f"rank {rank} of {count} procedures on {work.date.isoformat()} "
                    f"(MULT PROC {procedure.indicator}), ranked by amount",
                )
            if rank > 5:
                lines = tuple(sorted({w.number for w, _ in procedure.parts}))
                findings.append(
                    Finding(
                        "pricing.by-report",
                        Severity.WARN,
                        f"procedure ranked {rank} of {count}: the MAC prices sixth and later procedures by "
                        "report; estimated at 50%",
                        lines=lines,
                    )
                )
    return findings


def _procedures(
    members: list[LineWork], pairs: dict[int, LineWork], base_fee: Callable[[LineWork, str], Decimal | None]
) -> list[_Procedure]:
    procedures: list[_Procedure] = []
    families: dict[str, list[LineWork]] = defaultdict(list)
    for work in members:
        if work.mult == "3" and work.row is not None and work.row.endo_base:
            families[work.row.endo_base].append(work)
    in_family: set[int] = set()
    for base, family in families.items():
        bases = [w for w in members if w.row is not None and w.row.hcpcs == base and w.mult != "3"]
        procedures.append(_endoscopy_family(base, family, bases, base_fee))
        in_family.update(w.number for w in (*family, *bases))
    by_key: dict[tuple[int, int], _Procedure] = {}
    for work in members:
        if work.number in in_family:
            continue
        anchor = pairs.get(work.number, work).number
        for index, unit in enumerate(work.units):
            key = (anchor, index)
            if key not in by_key:
                by_key[key] = _Procedure()
                procedures.append(by_key[key])
            by_key[key].parts.append((work, unit))
    return procedures


def _endoscopy_family(
    base: str,
    family: list[LineWork],
    bases: list[LineWork],
    base_fee: Callable[[LineWork, str], Decimal | None],
) -> _Procedure:
    units = sorted(((w, u) for w in family for u in w.units), key=lambda p: (-p[1].amount, p[0].number))
    for position, (work, unit) in enumerate(units):
        if position == 0:
            work.note("endoscopy family", "100%", f"highest-valued endoscopy of base {base}")
            continue
        fee = base_fee(work, base) or ZERO
        reduced = max(unit.amount - fee * work.factor, ZERO)
        work.note(
            "endoscopy family",
            f"{reduced.normalize():f}",
            f"{unit.amount.normalize():f} minus the base endoscopy {base} fee {fee} (× {work.factor.normalize():f})",
        )
        unit.amount = reduced
    for work in bases:
        for unit in work.units:
            _scale(unit, ZERO)
        work.note(
            "endoscopy family", "0%", f"base endoscopy {base} billed with another endoscopy of its family"
        )
    return _Procedure([*units, *((w, u) for w in bases for u in w.units)])


def apply_component_reductions(works: list[LineWork]) -> None:
    """Reduce the second and later units' components (MULT PROC 4, 5, 6, 7) within each day."""
    groups: dict[object, list[LineWork]] = defaultdict(list)
    for work in works:
        if work.payable and work.mult in _COMPONENT_RULES and work.units:
            key = (work.date, "5") if work.mult == "5" else (*work.group, work.mult)
            groups[key].append(work)
    for members in groups.values():
        indicator = members[0].mult
        for part, share, label in _COMPONENT_RULES[indicator]:
            units = [(w, u) for w in members for u in w.units if getattr(u, part) > 0]
            if len(units) < 2:
                continue
            units.sort(key=lambda p: (-getattr(p[1], part), p[0].number))
            for rank, (work, unit) in enumerate(units[1:], start=2):
                cut = getattr(unit, part) * share
                unit.amount -= cut
                work.note(
                    f"{label} reduction",
                    f"-{cut.normalize():f}",
                    f"MULT PROC {indicator}: {percent(share)} of {getattr(unit, part)} ({label}), "
                    f"rank {rank} of {len(units)} on {work.date.isoformat()}",
                )


def _scale(unit: Unit, share: Decimal) -> None:
    unit.amount *= share
    unit.pc *= share
    unit.tc *= share
    unit.pe *= share
