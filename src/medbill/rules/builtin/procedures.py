"""Procedure code edits: HCPCS Level II and CPT validity on the date of service, modifiers, duplicates.

CPT is licensed by the AMA and is never shipped: without a user-installed CPT file, CPT codes are
checked by form only and the claim gets an `info` finding saying so.
"""

import datetime as dt
from collections.abc import Iterator

from medbill.core.findings import Finding, Severity
from medbill.rules.builtin.formats import procedure_kind
from medbill.rules.context import ClaimContext, Line
from medbill.rules.reference import CodeLookup, CodeStatus
from medbill.rules.registry import Registry, Rule
from medbill.rules.sources import CMS_CLAIMS_MANUAL, CPT, HCPCS

PACK = Registry()
# Modifiers that say a line repeats a service on purpose (repeat procedure, repeat lab test).
REPEAT_MODIFIERS = frozenset({"76", "77", "91"})


def _status_problem(status: CodeStatus, on: dt.date, what: str) -> tuple[str, Severity] | None:
    """Why a code is not billable on `on`, with the severity (None when it is fine)."""
    if not status.known:
        if status.release is not None and status.release.end is not None and on > status.release.end:
            return (
                f"{what} {status.code} is not in {status.source.name} {status.source.release}, the newest "
                f"release installed (in force until {status.release.end.isoformat()}); if it is new since, "
                "install the newer release",
                Severity.WARN,
            )
        return (
            f"{what} {status.code} does not exist in {status.source.name} {status.source.release}".rstrip(),
            (Severity.REJECT),
        )
    if status.added is not None and on < status.added:
        return f"{what} {status.code} takes effect on {status.added.isoformat()}", Severity.REJECT
    if status.terminated is not None and on > status.terminated:
        return f"{what} {status.code} was discontinued on {status.terminated.isoformat()}", Severity.REJECT
    return None


def _check_codes(
    ctx: ClaimContext, rule: Rule, lookup: CodeLookup, kind: str, what: str
) -> Iterator[Finding]:
    for line in ctx.lines:
        if procedure_kind(line.procedure) != kind:
            continue
        on = ctx.asof(line.date)
        status = lookup.status(line.procedure, on)
        problem = _status_problem(status, on, what)
        if problem:
            text, severity = problem
            yield rule.finding(
                f"Line {line.number}: {text} (date of service {line.date.isoformat()}).",
                severity=severity,
                lines=(line.number,),
                codes=(line.procedure,),
                source=status.source,
                path=f"lines[{line.number - 1}].procedure",
            )


@PACK.rule(
    "hcpcs.valid",
    title="HCPCS Level II codes are valid on the date of service",
    source=HCPCS,
    severity=Severity.REJECT,
    pack="procedure",
    needs=("hcpcs",),
    fix="Use a HCPCS code in force on the date of service (check the quarterly HCPCS update).",
)
def hcpcs_valid(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Each HCPCS Level II code (a letter and four digits) is in the CMS HCPCS file, added on or
    before and not terminated before the date of service."""
    assert ctx.ref.hcpcs is not None
    yield from _check_codes(ctx, rule, ctx.ref.hcpcs, "hcpcs", "HCPCS code")


@PACK.rule(
    "cpt.valid",
    title="CPT codes are valid on the date of service (format only without a CPT file)",
    source=CPT,
    severity=Severity.REJECT,
    pack="procedure",
    fix="Use a CPT code in force on the date of service.",
)
def cpt_valid(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """With a CPT file installed, each CPT code is in it and in force on the date of service.
    Without one (CPT is AMA-licensed), CPT codes are checked by form only, and an `info` finding
    says so."""
    if ctx.ref.cpt is not None:
        yield from _check_codes(ctx, rule, ctx.ref.cpt, "cpt", "CPT code")
        return
    lines = [line for line in ctx.lines if procedure_kind(line.procedure) == "cpt"]
    if lines:
        yield rule.finding(
            "CPT codes were checked by format only: no CPT file is installed (CPT is licensed by the AMA; "
            "install yours to check validity on the date of service).",
            severity=Severity.INFO,
            lines=[line.number for line in lines],
            codes=[line.procedure for line in lines],
            fix="Install the CPT data file your organisation licenses (see docs/rules.md).",
        )


@PACK.rule(
    "procedure.modifier",
    title="Modifiers are valid on the date of service",
    source=HCPCS,
    severity=Severity.REJECT,
    pack="procedure",
    needs=("hcpcs_modifiers", "cpt_modifiers"),
    fix="Use a current modifier: two characters from the CPT (numeric) or HCPCS Level II modifier list.",
)
def modifier(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Each modifier is two letters or digits and in force on the date of service: numeric ones in
    the CPT modifier list, the others in the CMS HCPCS Level II modifier list."""
    hcpcs, cpt = ctx.ref.hcpcs_modifiers, ctx.ref.cpt_modifiers
    assert hcpcs is not None
    assert cpt is not None
    for line in ctx.lines:
        on = ctx.asof(line.date)
        for position, mod in enumerate(line.line.modifiers):
            path = f"lines[{line.number - 1}].modifiers[{position}]"
            if len(mod) != 2 or not mod.isalnum():
                yield rule.finding(
                    f"Line {line.number}: modifier {mod!r} is not two letters or digits.",
                    lines=(line.number,),
                    codes=(mod,),
                    path=path,
                )
                continue
            lookup = cpt if mod.isdigit() else hcpcs
            status = lookup.status(mod, on)
            problem = _status_problem(status, on, "modifier")
            if problem:
                text, severity = problem
                yield rule.finding(
                    f"Line {line.number}: {text}.",
                    severity=severity,
                    lines=(line.number,),
                    codes=(mod,),
                    source=status.source,
                    path=path,
                )


@PACK.rule(
    "procedure.duplicate_line",
    title="No service is billed twice",
    source=CMS_CLAIMS_MANUAL,
    severity=Severity.DENY,
    pack="procedure",
    fix=(
        "Bill the service once with the total units; if it really was repeated, add the repeat "
        "modifier (76, 77 or 91) or a distinct-service modifier."
    ),
)
def duplicate_line(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Two lines with the same procedure, modifiers, date and rendering provider (lines with a
    repeat modifier 76, 77 or 91 are not duplicates)."""
    seen: dict[tuple[object, ...], Line] = {}
    for line in ctx.lines:
        if line.modifiers & REPEAT_MODIFIERS:
            continue
        key = (
            line.procedure,
            line.line.revenue_code,
            line.modifiers,
            line.date,
            line.line.service_date_end,
            line.provider,
        )
        first = seen.get(key)
        if first is None:
            seen[key] = line
            continue
        yield rule.finding(
            f"Line {line.number} repeats line {first.number}: {line.procedure} on {line.date.isoformat()} "
            "by the same provider with the same modifiers; the payer will deny it as a duplicate.",
            lines=(line.number,),
            codes=(line.procedure,),
        )


def register(registry: Registry) -> None:
    registry.extend(PACK)
