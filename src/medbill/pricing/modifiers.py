"""Payment modifiers of one line, from the indicators of its RVU row.

| modifier | indicator (RVU file) | payment |
|---|---|---|
| 50 bilateral | BILAT SURG 1 | 150% |
| | 2 (RVUs already bilateral) | 100% |
| | 3 (each side priced) | 200% |
| | 0 / 9 | 100%, with a warning (adjustment does not apply) |
| 80, 81, 82 assistant at surgery | ASST SURG 2 | 16% |
| | 0 | 16%, warning: paid only with documentation |
| | 1 / 9 | not paid |
| AS (PA, NP, CNS assisting) | as above | 85% of 16% = 13.6% |
| 62 co-surgeons | CO-SURG 2 | 62.5% each |
| | 1 | 62.5%, warning: documentation required |
| | 0 / 9 | not paid |
| 66 team surgery | TEAM SURG 1 / 2 | by report (MAC prices it) |
| | 0 / 9 | not paid |

Two units of a code with bilateral indicator 1 (or 2) and no modifier 50 are the two sides of one
bilateral procedure (RVU README): paid once at 150% (or 100%).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from medbill.codesets.mpfs import RvuRecord
from medbill.core.findings import Finding, Severity
from medbill.pricing.model import TraceStep

ASSISTANT_MODIFIERS = frozenset({"80", "81", "82"})
ASSISTANT_PERCENT = Decimal("0.16")
NONPHYSICIAN_ASSISTANT_PERCENT = Decimal("0.85")
CO_SURGEON_PERCENT = Decimal("0.625")
BILATERAL_PERCENT = {"1": Decimal("1.5"), "2": Decimal("1"), "3": Decimal("2")}

_Find = Callable[[str, Severity, str], None]


def percent(factor: Decimal) -> str:
    """A factor as a percentage: `percent(Decimal("0.625"))` is `'62.5%'`."""
    return f"{(factor * 100).normalize():f}%"


@dataclass(slots=True)
class ModifierEffect:
    """What a line's modifiers do: a payment factor per unit, how many units are paid, whether
    an amount can be estimated at all, and the trace/findings that explain it."""

    factor: Decimal = Decimal("1")
    units: Decimal = Decimal("1")
    priced: bool = True
    trace: list[TraceStep] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def modifier_effect(row: RvuRecord, modifiers: tuple[str, ...], units: Decimal, line: int) -> ModifierEffect:
    """Apply the bilateral, assistant, co-surgeon and team rules of `row` to one line."""
    effect = ModifierEffect(units=units)
    mods = set(modifiers)
    code = row.hcpcs

    def find(rule: str, severity: Severity, message: str) -> None:
        effect.findings.append(Finding(rule, severity, message, lines=(line,), codes=(code,)))

    if "50" in mods:
        _bilateral_modifier(row, units, effect, find)
    elif units == 2 and row.bilateral in ("1", "2"):
        effect.units = Decimal("1")
        effect.factor *= BILATERAL_PERCENT[row.bilateral]
        effect.trace.append(
            TraceStep(
                "bilateral (2 units)",
                percent(BILATERAL_PERCENT[row.bilateral]),
                note=f"two units of a code with bilateral indicator {row.bilateral} are paid as one bilateral procedure",
            )
        )
    assistant = mods & ASSISTANT_MODIFIERS or ({"AS"} & mods)
    if assistant:
        _assistant(row, sorted(assistant)[0], effect, find)
    if "62" in mods:
        _co_surgeon(row, effect, find)
    if "66" in mods:
        _team(row, effect, find)
    return effect


def _bilateral_modifier(row: RvuRecord, units: Decimal, effect: ModifierEffect, find: _Find) -> None:
    indicator = row.bilateral
    if indicator in BILATERAL_PERCENT:
        factor = BILATERAL_PERCENT[indicator]
        meaning = {
            "1": "150% bilateral adjustment",
            "2": "RVUs already describe both sides",
            "3": "each side paid at 100%",
        }[indicator]
        effect.factor *= factor
        effect.trace.append(
            TraceStep("bilateral (modifier 50)", percent(factor), note=f"indicator {indicator}: {meaning}")
        )
    else:
        find(
            "pricing.bilateral-not-applicable",
            Severity.WARN,
            f"modifier 50 on {row.hcpcs}: the bilateral adjustment does not apply (indicator {indicator}); "
            "paid as one procedure",
        )
        effect.trace.append(
            TraceStep("bilateral (modifier 50)", "100%", note=f"indicator {indicator}: no adjustment")
        )
    if units != 1:
        find(
            "pricing.bilateral-units",
            Severity.WARN,
            f"modifier 50 is reported with 1 unit; {units} units were priced as {units} bilateral procedures",
        )


def _assistant(row: RvuRecord, modifier: str, effect: ModifierEffect, find: _Find) -> None:
    indicator = row.assistant
    if indicator in ("1", "9"):
        effect.factor = Decimal("0")
        reason = (
            "statutory restriction (indicator 1)"
            if indicator == "1"
            else "concept does not apply (indicator 9)"
        )
        find(
            "pricing.assistant-not-payable",
            Severity.DENY,
            f"assistant at surgery (modifier {modifier}) is not paid for {row.hcpcs}: {reason}",
        )
        effect.trace.append(TraceStep(f"assistant at surgery (modifier {modifier})", "0%", note=reason))
        return
    factor = ASSISTANT_PERCENT
    note = f"indicator {indicator}: 16% of the fee schedule amount"
    if modifier == "AS":
        factor = ASSISTANT_PERCENT * NONPHYSICIAN_ASSISTANT_PERCENT
        note = f"indicator {indicator}: non-physician assistant, 85% of 16% = 13.6%"
    if indicator == "0":
        find(
            "pricing.assistant-documentation",
            Severity.WARN,
            f"assistant at surgery for {row.hcpcs} is paid only with documentation of medical necessity (indicator 0)",
        )
    effect.factor *= factor
    effect.trace.append(TraceStep(f"assistant at surgery (modifier {modifier})", percent(factor), note=note))


def _co_surgeon(row: RvuRecord, effect: ModifierEffect, find: _Find) -> None:
    indicator = row.co_surgeon
    if indicator in ("0", "9"):
        effect.factor = Decimal("0")
        reason = (
            "co-surgeons not permitted (indicator 0)"
            if indicator == "0"
            else "concept does not apply (indicator 9)"
        )
        find("pricing.co-surgeon-not-payable", Severity.DENY, f"modifier 62 on {row.hcpcs}: {reason}")
        effect.trace.append(TraceStep("co-surgeon (modifier 62)", "0%", note=reason))
        return
    if indicator == "1":
        find(
            "pricing.co-surgeon-documentation",
            Severity.WARN,
            f"co-surgeons for {row.hcpcs} are paid only with documentation of medical necessity (indicator 1)",
        )
    effect.factor *= CO_SURGEON_PERCENT
    effect.trace.append(TraceStep("co-surgeon (modifier 62)", "62.5%", note=f"indicator {indicator}"))


def _team(row: RvuRecord, effect: ModifierEffect, find: _Find) -> None:
    indicator = row.team
    if indicator in ("1", "2"):
        effect.priced = False
        find(
            "pricing.carrier-priced",
            Severity.WARN,
            f"team surgery (modifier 66) on {row.hcpcs} is paid by report: the MAC prices it (indicator {indicator})",
        )
        effect.trace.append(
            TraceStep("team surgery (modifier 66)", "by report", note=f"indicator {indicator}")
        )
        return
    effect.factor = Decimal("0")
    find(
        "pricing.team-surgery-not-payable",
        Severity.DENY,
        f"team surgery (modifier 66) is not paid for {row.hcpcs} (indicator {indicator})",
    )
    effect.trace.append(TraceStep("team surgery (modifier 66)", "0%", note=f"indicator {indicator}"))
