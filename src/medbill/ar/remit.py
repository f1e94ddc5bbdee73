"""Planning the posting of one remittance (an 835 transaction set): pure, no storage.

Each CLP matched to a claim becomes entries on the A/R of the payer it came from:
a Payment (cash per the CLP, credited line by line as the SVCs say), Adjustments for contractual
and other reductions (CO → contractual; OA/PI/CR → adjustment), Transfers of patient responsibility
(PR) to the patient's account. CARCs whose category is a denial are not posted: the line's balance
stays open on the payer and a denial goes to the denials queue (PR denials move to the patient and
are queued as well). A prior payer's share (CARC 23, on secondary remittances) is not posted.

What cannot be posted as is becomes an exception, and its money is held in unapplied cash for the
payer, so cash always equals the payment (BPR02) and nothing is dropped: a CLP for an unknown claim,
a reversal (CLP02 = 22), a CLP whose amounts do not balance (CLP03 − CLP04 ≠ its CAS, Σ SVC02 ≠ CLP03, or an
SVC's SVC02 − SVC03 ≠ its CAS), an SVC that fits no billed line, a CLP from a payer the claim was not
billed to, or one that would credit more than the payer's open balance for the claim. PLB
provider adjustments post to the payer's provider-adjustment account; a payment that differs from
Σ CLP04 − Σ PLB posts the difference to unapplied cash as an exception of its own.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from medbill.ar.accounts import CASH, Account, AccountKind
from medbill.ar.carc import CarcCategory, CarcTable, carc_table
from medbill.ar.entries import Carc, Entry, EntryKind, Posting, adjustment, payment, transfer
from medbill.ar.matching import BilledLine, match_service_lines, remittance_payer_key, responsibility_of
from medbill.core.claim import AdjustmentGroup, CasAdjustment, Responsibility
from medbill.core.money import ZERO, format_money
from medbill.core.remittance import ClaimPayment, Remittance


class ExceptionKind(StrEnum):
    UNMATCHED_CLAIM = "unmatched_claim"
    REVERSAL = "reversal"
    UNBALANCED_CLAIM = "unbalanced_claim"
    UNMATCHED_LINE = "unmatched_line"
    UNBILLED_PAYER = "unbilled_payer"
    EXCEEDS_BALANCE = "exceeds_balance"
    UNBALANCED_REMITTANCE = "unbalanced_remittance"


@dataclass(frozen=True, slots=True)
class ClaimContext:
    """What the journal knows of the claim a CLP was matched to."""

    claim_id: str
    patient_key: str
    payers: Mapping[Responsibility, str]
    lines: tuple[BilledLine, ...]
    open_balances: Mapping[Account, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RemitException:
    kind: ExceptionKind
    message: str
    amount: Decimal
    """Money held in unapplied cash because of it."""


@dataclass(frozen=True, slots=True)
class Denial:
    claim_id: str
    line: int | None
    procedure: str | None
    category: CarcCategory
    carc: Carc
    amount: Decimal
    adjustments: tuple[CasAdjustment, ...]
    remarks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimPlan:
    """What one CLP becomes: entries on the claim, or an exception (money held unapplied)."""

    position: int
    clp: ClaimPayment
    claim_id: str | None
    responsibility: Responsibility | None
    entries: tuple[Entry, ...]
    exception: RemitException | None = None
    denials: tuple[Denial, ...] = ()

    @property
    def posted(self) -> bool:
        return self.exception is None


@dataclass(frozen=True, slots=True)
class RemittancePlan:
    payer_key: str
    on: date
    claims: tuple[ClaimPlan, ...]
    provider_entries: tuple[Entry, ...]
    exceptions: tuple[RemitException, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for c in self.claims for e in c.entries) + self.provider_entries

    @property
    def cash(self) -> Decimal:
        """The cash this remittance brings (equals the payment, BPR02, signed by BPR03)."""
        return sum((p.amount for e in self.entries for p in e.postings if p.account == CASH), ZERO)

    @property
    def all_exceptions(self) -> tuple[RemitException, ...]:
        return tuple(c.exception for c in self.claims if c.exception) + self.exceptions


def unapplied(payer_key: str) -> Account:
    return Account(AccountKind.UNAPPLIED, payer_key)


def payment_date(remittance: Remittance, default: date) -> date:
    return remittance.payment.date or remittance.production_date or default


def plan_remittance(
    remittance: Remittance,
    contexts: Sequence[ClaimContext | None],
    *,
    on: date,
    carcs: CarcTable | None = None,
) -> RemittancePlan:
    """Plan the whole remittance; `contexts[i]` is the claim CLP number i matched (None: unmatched)."""
    if len(contexts) != len(remittance.claims):
        raise ValueError("one context (or None) per CLP")
    table = carcs or carc_table()
    payer_key = remittance_payer_key(remittance)
    when = payment_date(remittance, on)
    credited: dict[tuple[str, Account], Decimal] = defaultdict(lambda: ZERO)
    claims = tuple(
        plan_claim(i, clp, contexts[i], remittance=remittance, on=when, carcs=table, credited=credited)
        for i, clp in enumerate(remittance.claims)
    )
    provider_entries = [
        _provider_adjustment(payer_key, adj.reason, adj.reference, adj.amount, when)
        for adj in remittance.provider_adjustments
        if adj.amount != 0
    ]
    exceptions: list[RemitException] = []
    sign = Decimal(-1) if remittance.payment.credit_debit.upper() == "D" else Decimal(1)
    expected = sign * remittance.payment.amount
    brought = sum((c.paid for c in remittance.claims), ZERO) - sum(
        (a.amount for a in remittance.provider_adjustments), ZERO
    )
    if expected != brought:
        difference = expected - brought
        exceptions.append(
            RemitException(
                ExceptionKind.UNBALANCED_REMITTANCE,
                f"the payment ({format_money(expected)}) differs from the claim payments less provider "
                f"adjustments ({format_money(brought)}); the difference {format_money(difference)} "
                "is held in unapplied cash",
                difference,
            )
        )
        provider_entries.append(
            payment(
                None, unapplied(payer_key), {None: difference}, on=when, narration="835 payment difference"
            )
        )
    return RemittancePlan(payer_key, when, claims, tuple(provider_entries), tuple(exceptions))


def _provider_adjustment(
    payer_key: str, reason: str, reference: str | None, amount: Decimal, on: date
) -> Entry:
    account = Account(AccountKind.PROVIDER_ADJUSTMENT, payer_key)
    narration = f"PLB {reason}" + (f" {reference}" if reference else "")
    return Entry(
        EntryKind.ADJUSTMENT, on, (Posting(account, amount), Posting(CASH, -amount)), None, narration
    )


def plan_claim(
    position: int,
    clp: ClaimPayment,
    context: ClaimContext | None,
    *,
    remittance: Remittance,
    on: date,
    carcs: CarcTable,
    credited: dict[tuple[str, Account], Decimal] | None = None,
    cash: Account = CASH,
    resolving: bool = False,
) -> ClaimPlan:
    """Plan one CLP. `cash` is where its money comes from (unapplied cash when an exception is being
    resolved); `resolving` lets a reversal post against the claim it reverses."""
    payer_key = remittance_payer_key(remittance)
    running = credited if credited is not None else defaultdict(lambda: ZERO)
    trace = remittance.payment.trace_number
    narration = f"835 {trace} CLP {clp.claim_id} status {clp.status}".strip()

    def held(kind: ExceptionKind, message: str, responsibility: Responsibility | None = None) -> ClaimPlan:
        claim_id = context.claim_id if context else None
        entries: tuple[Entry, ...] = ()
        if clp.paid != 0:
            entries = (
                payment(
                    claim_id, unapplied(payer_key), {None: clp.paid}, on=on, narration=narration, cash=cash
                ),
            )
        problem = RemitException(kind, message, clp.paid)
        return ClaimPlan(position, clp, claim_id, responsibility, entries, problem)

    if context is None:
        return held(
            ExceptionKind.UNMATCHED_CLAIM,
            f"no claim matches CLP01 {clp.claim_id!r}"
            + (f" or payer claim number {clp.payer_claim_number!r}" if clp.payer_claim_number else ""),
        )
    if clp.is_reversal and not resolving:
        return held(
            ExceptionKind.REVERSAL, f"the payer reverses an earlier payment of claim {context.claim_id}"
        )
    responsibility = responsibility_of(clp, context.payers, remittance)
    if responsibility is None:
        return held(
            ExceptionKind.UNBILLED_PAYER,
            f"CLP02 {clp.status} names a payer that claim {context.claim_id} was not billed to",
        )
    imbalance = _imbalance(clp)
    if imbalance:
        return held(ExceptionKind.UNBALANCED_CLAIM, imbalance, responsibility)
    line_numbers = match_service_lines(clp.lines, context.lines)
    unmatched = [clp.lines[i].procedure for i, n in enumerate(line_numbers) if n is None]
    if unmatched:
        return held(
            ExceptionKind.UNMATCHED_LINE,
            f"service line(s) {', '.join(unmatched)} fit no line billed on claim {context.claim_id}",
            responsibility,
        )
    receivable = Account.insurance(context.payers[responsibility])
    paid: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    for svc, line in zip(clp.lines, line_numbers, strict=True):
        paid[line] += svc.paid
    rest = clp.paid - sum((s.paid for s in clp.lines), ZERO)
    if rest:
        paid[None] += rest

    adjusted: dict[Carc, dict[int | None, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    to_patient: dict[Carc, dict[int | None, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    denied: dict[int | None, list[CasAdjustment]] = defaultdict(list)
    every_cas = [(cas, None) for cas in clp.adjustments] + [
        (cas, line) for svc, line in zip(clp.lines, line_numbers, strict=True) for cas in svc.adjustments
    ]
    for cas, line in every_cas:
        category = carcs.get(cas.reason).category
        carc = Carc(cas.group, cas.reason)
        if category.denial:
            denied[line].append(cas)
        if cas.group == AdjustmentGroup.PATIENT_RESPONSIBILITY:
            to_patient[carc][line] += cas.amount
        elif not category.denial and category != CarcCategory.PRIOR_PAYER:
            adjusted[carc][line] += cas.amount

    credit = sum(paid.values(), ZERO) + sum(
        (a for group in (adjusted, to_patient) for amounts in group.values() for a in amounts.values()), ZERO
    )
    key = (context.claim_id, receivable)
    available = context.open_balances.get(receivable, ZERO) - running[key]
    if credit > 0 and credit > available:
        return held(
            ExceptionKind.EXCEEDS_BALANCE,
            f"CLP would credit {format_money(credit)} to {receivable.name} but claim {context.claim_id} "
            f"has {format_money(available)} open there",
            responsibility,
        )
    running[key] += credit

    claim_id = context.claim_id
    entries: list[Entry] = []
    if any(paid.values()):
        entries.append(payment(claim_id, receivable, paid, on=on, narration=narration, cash=cash))
    for carc, amounts in sorted(adjusted.items(), key=lambda kv: str(kv[0])):
        if any(amounts.values()):
            entries.append(adjustment(claim_id, receivable, amounts, carc, on=on, narration=narration))
    patient = Account.patient(context.patient_key)
    for carc, amounts in sorted(to_patient.items(), key=lambda kv: str(kv[0])):
        if any(amounts.values()):
            entries.append(
                transfer(claim_id, receivable, patient, amounts, on=on, narration=narration, carc=carc)
            )
    denials = tuple(
        _denial(claim_id, clp, line, line_numbers, context, cases, carcs) for line, cases in denied.items()
    )
    return ClaimPlan(position, clp, claim_id, responsibility, tuple(entries), None, denials)


def _imbalance(clp: ClaimPayment) -> str:
    """Why the CLP's amounts do not balance ('' when they do)."""
    claim_cas = sum((a.amount for a in clp.adjustments), ZERO)
    line_cas = sum((a.amount for s in clp.lines for a in s.adjustments), ZERO)
    if clp.charge - clp.paid != claim_cas + line_cas:
        return (
            f"CLP {clp.claim_id}: charge {format_money(clp.charge)} − paid {format_money(clp.paid)} ≠ "
            f"adjustments {format_money(claim_cas + line_cas)}"
        )
    if clp.lines and sum((s.charge for s in clp.lines), ZERO) != clp.charge:
        return (
            f"CLP {clp.claim_id}: service line charges add up to "
            f"{format_money(sum((s.charge for s in clp.lines), ZERO))}, the claim charge is {format_money(clp.charge)}"
        )
    for svc in clp.lines:
        svc_cas = sum((a.amount for a in svc.adjustments), ZERO)
        if svc.charge - svc.paid != svc_cas:
            return (
                f"CLP {clp.claim_id} SVC {svc.procedure}: charge {format_money(svc.charge)} − paid "
                f"{format_money(svc.paid)} ≠ adjustments {format_money(svc_cas)}"
            )
    return ""


def _denial(
    claim_id: str,
    clp: ClaimPayment,
    line: int | None,
    line_numbers: Sequence[int | None],
    context: ClaimContext,
    cases: list[CasAdjustment],
    carcs: CarcTable,
) -> Denial:
    main = max(cases, key=lambda c: abs(c.amount))
    if line is None:
        procedure, remarks, every = None, clp.remarks, clp.adjustments
    else:
        svc = clp.lines[line_numbers.index(line)]
        procedure, remarks, every = svc.procedure, svc.remarks + clp.remarks, svc.adjustments
    return Denial(
        claim_id=claim_id,
        line=line,
        procedure=procedure,
        category=carcs.get(main.reason).category,
        carc=Carc(main.group, main.reason),
        amount=sum((c.amount for c in cases), ZERO),
        adjustments=tuple(every),
        remarks=tuple(dict.fromkeys(remarks)),
    )
