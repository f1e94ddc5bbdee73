"""NCCI medically unlikely edits: the most units of a code one provider bills for one patient a day.

The MUE adjudication indicator (MAI) says how the value is applied: 1 per claim line (more units may
be paid on other lines with 59, 76, 77, 91 or anatomic modifiers); 2 per date of service, absolute
(a policy limit, not appealable); 3 per date of service, clinical (appealable with records).
Professional claims use the practitioner table (DME suppliers the DME table), outpatient
institutional claims the outpatient hospital table; inpatient claims are not subject to MUEs.
A line with a date span may bill the value once per day of the span.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from medbill.codesets.ncci_tables import MueValue
from medbill.core.findings import Finding, Severity, Source
from medbill.rules.context import ClaimContext, Line, Setting
from medbill.rules.registry import Registry, Rule
from medbill.rules.sources import NCCI_MUE

PACK = Registry()
MAI_TEXT = {
    1: "MAI 1, a line edit",
    2: "MAI 2, a date-of-service policy limit that is not appealable",
    3: "MAI 3, a date-of-service clinical limit",
}
MAI_FIX = {
    1: (
        "Bill no more units on a line than the MUE; if more were medically necessary, report them on "
        "another line with the appropriate modifier (59, XE/XS/XP/XU, 76, 77, 91 or an anatomic modifier)."
    ),
    2: "Correct the units: the MUE reflects a policy limit (e.g. anatomic or code descriptor) and is not paid above it.",
    3: "Correct the units; if more were really performed, keep the records: the payer may pay on appeal.",
}


def _days(line: Line) -> int:
    end = line.line.service_date_end
    return (end - line.date).days + 1 if end and end > line.date else 1


@PACK.rule(
    "ncci.mue",
    title="Units stay within the NCCI medically unlikely edit",
    source=NCCI_MUE,
    severity=Severity.DENY,
    pack="ncci",
    needs=("ncci.mue",),
    fix=MAI_FIX[3],
)
def mue(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Units above the MUE value: per line for MAI 1; summed over the lines of the same code, date
    and provider for MAI 2 and 3. A value of 0 means the code is not payable in the setting."""
    tables = ctx.ref.ncci
    assert tables is not None
    setting = ctx.setting
    if setting == Setting.INPATIENT:
        return
    groups: dict[tuple[dt.date, str, str], list[Line]] = {}
    for line in ctx.lines:
        groups.setdefault((line.date, line.provider, line.procedure), []).append(line)
    unchecked: list[Line] = []
    for (_day, _provider, code), lines in groups.items():
        table = tables.mue_for(setting, ctx.asof(lines[0].date))
        if table is None:
            unchecked.extend(lines)
            continue
        edit = table.values.get(code)
        if edit is None:
            continue
        if edit.mai == 1:
            for line in lines:
                limit = edit.value * _days(line)
                if line.units > limit:
                    yield _finding(rule, code, edit, [line], line.units, limit, table.source)
        else:
            if len(lines) == 1:
                total, limit = lines[0].units, edit.value * _days(lines[0])
            else:
                total = sum((ln.units for ln in lines), Decimal(0))
                limit = edit.value * max(_days(ln) for ln in lines)
            if total > limit:
                yield _finding(rule, code, edit, lines, total, limit, table.source)
    if unchecked:
        yield rule.finding(
            "MUE not checked for lines dated before the first installed MUE table of this setting.",
            severity=Severity.INFO,
            lines=[ln.number for ln in unchecked],
            fix="Install the MUE table in force on those dates.",
        )


def _finding(
    rule: Rule, code: str, edit: MueValue, lines: list[Line], units: Decimal, limit: int, source: Source
) -> Finding:
    numbers = ", ".join(str(ln.number) for ln in lines)
    where = f"line {numbers}" if len(lines) == 1 else f"lines {numbers} together"
    if edit.value == 0:
        text = f"{code} has an MUE of 0 in this setting: it is not payable here ({where})."
    else:
        text = (
            f"{code}: {where} bill {units.normalize():f} units on one date; the MUE allows {limit} "
            f"({MAI_TEXT[edit.mai]})."
        )
    rationale = f" MUE rationale: {edit.rationale}." if edit.rationale else ""
    return rule.finding(
        text + rationale,
        lines=[ln.number for ln in lines],
        codes=(code,),
        source=source,
        fix=MAI_FIX[edit.mai],
    )


def register(registry: Registry) -> None:
    registry.extend(PACK)
