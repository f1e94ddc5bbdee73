"""NCCI procedure-to-procedure edits: column-2 codes billed with their column-1 code.

When one provider bills both codes of a PTP pair for one patient on one date, the column-1 code is
paid and the column-2 code is denied, unless the modifier indicator is 1 and an NCCI-associated
modifier is on either line. Indicator 0 never allows a bypass; indicator 9 means the edit does not
apply. Professional claims use the practitioner table, outpatient institutional claims the
outpatient hospital table; inpatient claims are not subject to PTP edits.
"""

from collections.abc import Iterator

from medbill.codesets.ncci_tables import PtpHit
from medbill.core.findings import Finding, Severity, Source
from medbill.rules.context import ClaimContext, Line, Setting
from medbill.rules.registry import Registry, Rule
from medbill.rules.sources import NCCI_PTP

PACK = Registry()

# NCCI PTP-associated modifiers (NCCI Policy Manual, ch. I; CMS "NCCI PTP-associated modifiers").
NCCI_MODIFIERS = frozenset(
    {"59", "XE", "XS", "XP", "XU", "24", "25", "57", "58", "78", "79", "91"}
    | {"E1", "E2", "E3", "E4", "LT", "RT", "LC", "LD", "LM", "RC", "RI"}
    | {f"F{c}" for c in "A123456789"}
    | {f"T{c}" for c in "A123456789"}
)


@PACK.rule(
    "ncci.ptp",
    title="NCCI procedure-to-procedure pairs are not billed together without an allowed modifier",
    source=NCCI_PTP,
    severity=Severity.DENY,
    pack="ncci",
    needs=("ncci.ptp",),
    fix=(
        "Remove the column-2 code, or — only when the services were distinct (different session, site, "
        "organ, incision or encounter) and the edit allows it (indicator 1) — add 59 or an X{EPSU} modifier "
        "and document why."
    ),
)
def ptp(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Column-1/column-2 pairs in force on the date of service, billed by the same provider on the
    same date: indicator 0 is denied whatever the modifiers, indicator 1 unless an NCCI-associated
    modifier is on either code, indicator 9 is not applied."""
    tables = ctx.ref.ncci
    assert tables is not None
    setting = ctx.setting
    if setting == Setting.INPATIENT:
        return
    for (day, _provider), lines in ctx.by_date_provider.items():
        if len(lines) < 2:
            continue
        codes = list(dict.fromkeys(ln.procedure for ln in lines))
        if len(codes) < 2:
            continue
        on = ctx.asof(day)
        table = tables.ptp_for(setting, on)
        if table is None:
            yield rule.finding(
                f"PTP edits not checked for {day.isoformat()}: no {setting.value.replace('_', ' ')} PTP table "
                "is installed.",
                severity=Severity.INFO,
                lines=[ln.number for ln in lines],
                fix="Install the CMS PTP files for this setting (see docs/rules.md).",
            )
            continue
        for hit in table.hits(codes, on):
            if hit.modifier_indicator == 9:
                continue
            denied = _denied_lines(hit, lines)
            if denied:
                yield _finding(rule, hit, denied, lines, table.source)


def _denied_lines(hit: PtpHit, lines: list[Line]) -> list[Line]:
    column1 = [ln for ln in lines if ln.procedure == hit.column1]
    column2 = [ln for ln in lines if ln.procedure == hit.column2]
    if hit.modifier_indicator == 0:
        return column2
    return [
        ln2
        for ln2 in column2
        if any(
            not (ln1.modifiers & NCCI_MODIFIERS) and not (ln2.modifiers & NCCI_MODIFIERS) for ln1 in column1
        )
    ]


def _finding(rule: Rule, hit: PtpHit, denied: list[Line], lines: list[Line], source: Source) -> Finding:
    column1_lines = ", ".join(str(ln.number) for ln in lines if ln.procedure == hit.column1)
    if hit.modifier_indicator == 0:
        allowed = "Modifier indicator 0: no modifier allows the pair."
        fix = "Remove the column-2 code; this pair is never paid together (modifier indicator 0)."
    else:
        allowed = "Modifier indicator 1: an NCCI-associated modifier (59, XE, XS, XP, XU, ...) may allow it."
        fix = None
    rationale = f" Rationale: {hit.rationale}." if hit.rationale else ""
    return rule.finding(
        f"{hit.column2} (line {', '.join(str(ln.number) for ln in denied)}) is a column-2 code of "
        f"{hit.column1} (line {column1_lines}) on the same date by the same provider; the column-2 code "
        f"is denied. {allowed}{rationale}",
        lines=[ln.number for ln in denied],
        codes=(hit.column1, hit.column2),
        source=source,
        fix=fix,
    )


def register(registry: Registry) -> None:
    registry.extend(PACK)
