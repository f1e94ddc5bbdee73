"""Date edits: services not in the future, not before birth, spans and stays in order.

Malformed dates never reach the rules: the claim loader rejects them with their JSON path.
"""

from collections.abc import Iterator

from medbill.core.findings import Finding, Severity
from medbill.rules.context import ClaimContext
from medbill.rules.registry import Registry, Rule
from medbill.rules.sources import CMS_CLAIMS_MANUAL, X12_837

PACK = Registry()


@PACK.rule(
    "structure.service_date_future",
    title="Services are not billed before they happen",
    source=CMS_CLAIMS_MANUAL,
    severity=Severity.REJECT,
    pack="structure",
    fix="Bill the service after it is performed, with the date it was performed.",
)
def service_date_future(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """No line's date of service (or span end) is after the day the claim is checked."""
    for line in ctx.lines:
        last = line.line.service_date_end or line.date
        if last > ctx.today:
            yield rule.finding(
                f"Line {line.number} ({line.procedure}) is dated {last.isoformat()}, after today "
                f"({ctx.today.isoformat()}).",
                lines=(line.number,),
                codes=(line.procedure,),
                path=f"lines[{line.number - 1}].service_date",
            )


@PACK.rule(
    "structure.service_before_birth",
    title="Services are not dated before the patient's birth",
    source=X12_837,
    severity=Severity.REJECT,
    pack="structure",
    fix="Check the patient's birth date and the service dates against the record.",
)
def service_before_birth(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """The patient's birth date is not in the future and no service is dated before it."""
    born = ctx.claim.person.birth_date
    where = "patient.birth_date" if ctx.claim.patient else "subscriber.birth_date"
    if born is None:
        return  # structure.required reports it
    if born > ctx.today:
        yield rule.finding(f"The patient's birth date {born.isoformat()} is in the future.", path=where)
    before = [line for line in ctx.lines if line.date < born]
    if before:
        yield rule.finding(
            f"{len(before)} line(s) are dated before the patient's birth date {born.isoformat()}.",
            lines=[line.number for line in before],
            codes=[line.procedure for line in before],
            path=where,
        )


@PACK.rule(
    "structure.date_order",
    title="Date spans end after they start",
    source=X12_837,
    severity=Severity.REJECT,
    pack="structure",
    fix="Correct the dates so that each span ends on or after its start.",
)
def date_order(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """A line's span ends on or after its start; discharge is on or after admission; the onset of
    the illness is not after the services it explains (a warning)."""
    claim = ctx.claim
    for line in ctx.lines:
        end = line.line.service_date_end
        if end is not None and end < line.date:
            yield rule.finding(
                f"Line {line.number} ends {end.isoformat()} before it starts {line.date.isoformat()}.",
                lines=(line.number,),
                path=f"lines[{line.number - 1}].service_date_end",
            )
    if claim.admission and claim.discharge and claim.discharge.date < claim.admission.date:
        yield rule.finding(
            f"Discharge {claim.discharge.date.isoformat()} is before admission {claim.admission.date.isoformat()}.",
            path="discharge.date",
        )
    last = claim.last_service_date
    if claim.onset_date and last and claim.onset_date > last:
        yield rule.finding(
            f"Onset date {claim.onset_date.isoformat()} is after the last service {last.isoformat()}.",
            severity=Severity.WARN,
            path="onset_date",
            fix="The onset date is when the illness or injury began; check it.",
        )


def register(registry: Registry) -> None:
    registry.extend(PACK)
