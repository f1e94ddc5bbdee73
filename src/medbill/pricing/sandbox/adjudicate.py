"""The sandbox payer's decisions: a simulated Medicare Part B contractor.

For each claim, in file order:

1. the scrubber's findings and the pricing findings of severity reject/deny that point at lines
   deny those lines; those that point at no line deny the whole claim. A line that pricing could
   not price (carrier-priced, outside the fee schedule, anesthesia) is denied too. The denial code
   comes from `denials.yaml` (lowest `priority` wins; remark codes of all the line's findings kept);
2. every other line is allowed the fee schedule amount (`medbill.pricing`, lower of charge);
   the charge above it is CO-45, except the part taken by multiple-procedure rules, CO-59;
3. the allowed amount goes first to the Part B deductible the patient still has (PR-1; tracked
   per patient across the claims of the file, starting from `SandboxConfig.deductible`), then
   20% coinsurance on the rest (PR-2, rounded half-up to cents); Medicare pays the remainder.

Claims are paid as primary (CLP02 1) or denied (CLP02 4); one remittance per billing provider.
Everything is a function of the input: payer claim numbers and trace numbers are hashes of it,
the payment date is the last date of service plus `SandboxConfig.days_to_pay`.
"""

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from medbill.codesets.mpfs_section import Mpfs
from medbill.core.claim import AdjustmentGroup, CasAdjustment, Claim
from medbill.core.findings import Finding, Severity
from medbill.core.money import ZERO, money
from medbill.core.remittance import ClaimPayment, ClaimStatus, Party, Payment, Remittance, ServicePayment
from medbill.pricing.engine import price_claim
from medbill.pricing.model import LinePrice
from medbill.pricing.responsibility import MEDICARE_PART_B_COINSURANCE
from medbill.pricing.sandbox.denials import Denial, denial_for

Scrub = Callable[[Claim], Sequence[Finding]]
MEDICARE_PART_B = "MB"


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """How the sandbox payer behaves."""

    payer_name: str = "MEDBILL SANDBOX MEDICARE"
    payer_id: str = "MBSANDBOX"
    payer_address: tuple[str, str, str, str] = ("1 SANDBOX PLAZA", "TESTVILLE", "MD", "21244")
    """line1, city, state, ZIP of the payer (835 loop 1000A)."""
    payer_phone: str = "8005550199"
    receiver_id: str = "MEDBILL"
    """ISA08 of the 835: who receives it (the submitter of the 837)."""
    deductible: Decimal = ZERO
    """The Part B deductible each patient still has to meet at the start of the file."""
    coinsurance: Decimal = MEDICARE_PART_B_COINSURANCE
    days_to_pay: int = 14
    paid_on: dt.date | None = None
    """Payment date; by default the file's last date of service plus `days_to_pay`."""


@dataclass(frozen=True, slots=True)
class LineDecision:
    line: int
    procedure: str
    charge: Decimal
    allowed: Decimal
    paid: Decimal
    denial: Denial | None = None
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimDecision:
    """What the payer decided for one claim (for summaries and tests)."""

    claim_id: str
    status: str
    charge: Decimal
    allowed: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    lines: tuple[LineDecision, ...]
    findings: tuple[Finding, ...] = field(default=())


def adjudicate_claims(
    claims: Sequence[Claim], *, mpfs: Mpfs, scrub: Scrub, config: SandboxConfig | None = None
) -> tuple[list[Remittance], list[ClaimDecision]]:
    """Adjudicate claims; one remittance per billing provider, in order of first appearance."""
    config = config or SandboxConfig()
    deductibles: dict[tuple[str, ...], Decimal] = {}
    payments: dict[tuple[str, str], list[ClaimPayment]] = {}
    payees: dict[tuple[str, str], Party] = {}
    decisions: list[ClaimDecision] = []
    for index, claim in enumerate(claims):
        key = _patient_key(claim)
        remaining = deductibles.get(key, config.deductible)
        payment, decision, remaining = _adjudicate(claim, index, mpfs, scrub, config, remaining)
        deductibles[key] = remaining
        payee_key = (claim.billing_provider.npi, claim.billing_provider.name)
        payees.setdefault(
            payee_key,
            Party(name=claim.billing_provider.name, id=claim.billing_provider.npi, id_qualifier="XX"),
        )
        payments.setdefault(payee_key, []).append(payment)
        decisions.append(decision)
    last_service = max((c.last_service_date for c in claims if c.last_service_date), default=None)
    paid_on = config.paid_on or (
        last_service + dt.timedelta(days=config.days_to_pay) if last_service else None
    )
    remittances = [
        _remittance(payees[payee_key], claim_payments, config, paid_on)
        for payee_key, claim_payments in payments.items()
    ]
    return remittances, decisions


def _patient_key(claim: Claim) -> tuple[str, ...]:
    person = claim.person
    return (
        claim.subscriber.member_id,
        person.last_name,
        person.first_name or "",
        person.birth_date.isoformat() if person.birth_date else "",
    )


def _adjudicate(
    claim: Claim, index: int, mpfs: Mpfs, scrub: Scrub, config: SandboxConfig, deductible_left: Decimal
) -> tuple[ClaimPayment, ClaimDecision, Decimal]:
    scrubbed = list(scrub(claim))
    priced, pricing_findings = price_claim(claim, kb=mpfs)
    findings = [*scrubbed, *pricing_findings]
    blocking = [f for f in findings if f.severity.blocking]
    claim_denial = _claim_denial([f for f in blocking if not f.lines])
    lines: list[ServicePayment] = []
    decisions: list[LineDecision] = []
    for line, price in zip(claim.lines, priced.lines, strict=True):
        on_line = [f for f in findings if price.line in f.lines or _about_every_line(f)]
        denial, rules = claim_denial or _line_denial(price, on_line)
        if denial is not None:
            service = _denied_line(line.procedure, line.modifiers, price, denial)
            line_decision = LineDecision(price.line, line.procedure, price.charge, ZERO, ZERO, denial, rules)
        else:
            service, deductible_left = _paid_line(price, deductible_left, config.coinsurance)
            line_decision = LineDecision(
                price.line, line.procedure, price.charge, price.allowed, service.paid
            )
        lines.append(
            service.replace(
                units=line.units, service_date=line.service_date, service_date_end=line.service_date_end
            )
        )
        decisions.append(line_decision)
    paid = sum((ln.paid for ln in lines), ZERO)
    patient = sum(
        (
            a.amount
            for ln in lines
            for a in ln.adjustments
            if a.group == AdjustmentGroup.PATIENT_RESPONSIBILITY
        ),
        ZERO,
    )
    allowed = sum((d.allowed for d in decisions), ZERO)
    status = ClaimStatus.DENIED if all(d.denial is not None for d in decisions) else ClaimStatus.PRIMARY
    person = claim.person
    payment = ClaimPayment(
        claim_id=claim.claim_id,
        status=status.value,
        charge=claim.total_charge,
        paid=paid,
        patient_responsibility=patient,
        payer_claim_number=_payer_claim_number(claim, index),
        claim_filing_indicator=MEDICARE_PART_B,
        patient_name=f"{person.last_name}, {person.first_name}" if person.first_name else person.last_name,
        service_date=claim.first_service_date,
        service_date_end=claim.last_service_date,
        lines=tuple(lines),
    )
    decision = ClaimDecision(
        claim.claim_id,
        status.value,
        claim.total_charge,
        allowed,
        paid,
        patient,
        tuple(decisions),
        tuple(findings),
    )
    return payment, decision, deductible_left


def _about_every_line(finding: Finding) -> bool:
    """A claim-level pricing warning (an institutional claim) explains why no line was priced."""
    return not finding.lines and finding.rule.startswith("pricing.") and finding.severity is not Severity.INFO


def _claim_denial(findings: list[Finding]) -> tuple[Denial, tuple[str, ...]] | None:
    if not findings:
        return None
    return _pick(findings)


def _line_denial(price: LinePrice, findings: list[Finding]) -> tuple[Denial | None, tuple[str, ...]]:
    blocking = [f for f in findings if f.severity.blocking]
    if blocking:
        return _pick(blocking)
    if not price.priced:
        explaining = [f for f in findings if f.rule.startswith("pricing.")] or [
            Finding("sandbox.not-priced", Severity.DENY, "the sandbox could not price this line")
        ]
        return _pick(explaining)
    return None, ()


def _pick(findings: list[Finding]) -> tuple[Denial, tuple[str, ...]]:
    denials = [(denial_for(f.rule), f.rule) for f in findings]
    chosen = min(denials, key=lambda d: d[0].priority)[0]
    rarcs = tuple(dict.fromkeys(code for d, _ in denials for code in d.rarcs))
    rules = tuple(dict.fromkeys(rule for _, rule in denials))
    return Denial(chosen.group, chosen.carc, rarcs, chosen.priority), rules


def _denied_line(
    procedure: str, modifiers: tuple[str, ...], price: LinePrice, denial: Denial
) -> ServicePayment:
    return ServicePayment(
        procedure=procedure,
        modifiers=modifiers,
        charge=price.charge,
        paid=ZERO,
        allowed=ZERO,
        adjustments=(CasAdjustment(group=denial.group, reason=denial.carc, amount=price.charge),),
        remarks=denial.rarcs,
    )


def _paid_line(
    price: LinePrice, deductible_left: Decimal, coinsurance_rate: Decimal
) -> tuple[ServicePayment, Decimal]:
    allowed = price.allowed
    above = price.charge - allowed
    multiple = min(price.reduction, above)
    deductible = min(deductible_left, allowed)
    coinsurance = money((allowed - deductible) * coinsurance_rate)
    adjustments = []
    if multiple > 0:
        adjustments.append(CasAdjustment(group=AdjustmentGroup.CONTRACTUAL, reason="59", amount=multiple))
    if above - multiple > 0:
        adjustments.append(
            CasAdjustment(group=AdjustmentGroup.CONTRACTUAL, reason="45", amount=above - multiple)
        )
    if deductible > 0:
        adjustments.append(
            CasAdjustment(group=AdjustmentGroup.PATIENT_RESPONSIBILITY, reason="1", amount=deductible)
        )
    if coinsurance > 0:
        adjustments.append(
            CasAdjustment(group=AdjustmentGroup.PATIENT_RESPONSIBILITY, reason="2", amount=coinsurance)
        )
    payment = ServicePayment(
        procedure=price.procedure,
        modifiers=price.modifiers,
        charge=price.charge,
        paid=allowed - deductible - coinsurance,
        allowed=allowed,
        adjustments=tuple(adjustments),
    )
    return payment, deductible_left - deductible


def _payer_claim_number(claim: Claim, index: int) -> str:
    digest = hashlib.sha256(f"{index}|{claim.model_dump_json()}".encode()).hexdigest()
    return f"SBX{int(digest[:15], 16) % 10**14:014d}"


def _remittance(
    payee: Party, claims: list[ClaimPayment], config: SandboxConfig, paid_on: dt.date | None
) -> Remittance:
    total = sum((c.paid for c in claims), ZERO)
    digest = hashlib.sha256("|".join(c.model_dump_json() for c in claims).encode()).hexdigest()
    return Remittance(
        payer=Party(
            name=config.payer_name,
            id=config.payer_id,
            address=dict(zip(("line1", "city", "state", "zip"), config.payer_address, strict=True)),
        ),
        payee=payee,
        payment=Payment(
            amount=total,
            method="CHK" if total > 0 else "NON",
            date=paid_on,
            trace_number=f"{int(digest[:15], 16) % 10**15:015d}",
            originator_id="1" + f"{int(digest[15:24], 16) % 10**9:09d}",
        ),
        claims=tuple(claims),
        production_date=paid_on,
    )
