"""Global surgery: an E/M visit on the day of a minor procedure needs modifier 25.

The E/M service that leads to a minor procedure (global period 000 or 010 in the MPFS relative
value file) is part of the procedure's payment; a significant, separately identifiable E/M on the
same day is billed with modifier 25 (CMS Claims Processing Manual ch. 12 §30.6.6 and §40.1).
"""

from collections.abc import Iterator

from medbill.core.claim import ClaimType
from medbill.core.findings import Finding, Severity
from medbill.rules.context import ClaimContext, Line
from medbill.rules.registry import Registry, Rule
from medbill.rules.sources import GLOBAL_SURGERY

PACK = Registry()
MINOR_GLOBAL_DAYS = frozenset({"000", "010"})
SEPARATE_EM_MODIFIERS = frozenset({"25"})


def is_evaluation_and_management(code: str) -> bool:
    """CPT E/M codes are 99202-99499.

    >>> is_evaluation_and_management("99213"), is_evaluation_and_management("99500"), is_evaluation_and_management("G0463")
    (True, False, False)
    """
    return len(code) == 5 and code.isdigit() and "99202" <= code <= "99499"


@PACK.rule(
    "global.em_minor_procedure",
    title="An E/M on the day of a 0- or 10-day global procedure has modifier 25",
    source=GLOBAL_SURGERY,
    severity=Severity.DENY,
    pack="global",
    needs=("mpfs",),
    claim_types=(ClaimType.PROFESSIONAL,),
    fix=(
        "If the visit was significant and separately identifiable from the decision to do the procedure, "
        "add modifier 25 to the E/M (and document it); otherwise do not bill the E/M."
    ),
)
def em_minor_procedure(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """An E/M line without modifier 25 billed on the same date, by the same provider, as a procedure
    whose MPFS global period is 000 or 010 days."""
    mpfs = ctx.ref.mpfs
    assert mpfs is not None
    for (day, _provider), lines in ctx.by_date_provider.items():
        if len(lines) < 2:
            continue
        visits = [ln for ln in lines if is_evaluation_and_management(ln.procedure)]
        if not visits:
            continue
        minors: list[tuple[Line, str]] = []
        source = None
        for ln in lines:
            if is_evaluation_and_management(ln.procedure):
                continue
            found = mpfs.global_days(ln.procedure, ctx.asof(day))
            if found is not None and found[0] in MINOR_GLOBAL_DAYS:
                minors.append((ln, found[0]))
                source = found[1]
        if not minors:
            continue
        for visit in visits:
            if visit.modifiers & SEPARATE_EM_MODIFIERS:
                continue
            procedures = ", ".join(
                f"{ln.procedure} ({days}-day global, line {ln.number})" for ln, days in minors
            )
            yield rule.finding(
                f"Line {visit.number}: E/M {visit.procedure} on {day.isoformat()} with {procedures} "
                "by the same provider, without modifier 25; the visit is included in the procedure.",
                lines=(visit.number,),
                codes=(visit.procedure, *(ln.procedure for ln, _ in minors)),
                source=source,
            )


def register(registry: Registry) -> None:
    registry.extend(PACK)
