"""Planning a remittance (pure): what each CLP becomes, what is queued, and that cash equals the payment."""

from decimal import Decimal

from medbill.ar.accounts import CASH, Account, AccountKind
from medbill.ar.balances import balance, journal_is_balanced
from medbill.ar.carc import CarcCategory
from medbill.ar.entries import EntryKind, charge
from medbill.ar.matching import billed_lines
from medbill.ar.remit import ClaimContext, ExceptionKind, plan_remittance
from medbill.core.claim import Responsibility

from .ar_builders import PAID_ON, cas, claim, clp, remittance, svc

INS = Account.insurance("SBX01")
PATIENT = "TESTER-ALEX-19500301"
TWO_LINES = claim("PCN-1", (("99213", "120.00"), ("36415", "20.00")))


def context(c=TWO_LINES, open_balance: str | None = None, payers=None) -> ClaimContext:  # type: ignore[no-untyped-def]
    owed = Decimal(open_balance) if open_balance is not None else c.total_charge
    return ClaimContext(
        c.claim_id, PATIENT, payers or {Responsibility.PRIMARY: "SBX01"}, billed_lines(c), {INS: owed}
    )


def paid_two_lines(**kw):  # type: ignore[no-untyped-def]
    return clp(
        "PCN-1",
        "140.00",
        "71.43",
        svc("99213", "120.00", "61.43", cas("CO", "45", "43.20"), cas("PR", "2", "15.37")),
        svc("36415", "20.00", "10.00", cas("CO", "45", "7.50"), cas("PR", "2", "2.50")),
        **kw,
    )


def test_a_paid_claim_posts_payment_contractual_and_patient_share_line_by_line() -> None:
    plan = plan_remittance(remittance(paid_two_lines()), [context()], on=PAID_ON)
    entries = [
        charge("PCN-1", "SBX01", {1: Decimal("120.00"), 2: Decimal("20.00")}, on=PAID_ON),
        *plan.entries,
    ]
    assert [e.kind for e in plan.entries] == [EntryKind.PAYMENT, EntryKind.ADJUSTMENT, EntryKind.TRANSFER]
    assert balance(entries, account=INS, claim_id="PCN-1") == 0
    assert balance(entries, account=Account.patient(PATIENT), line=1) == Decimal("15.37")
    assert balance(entries, account=Account.patient(PATIENT), line=2) == Decimal("2.50")
    assert balance(entries, kind=AccountKind.CONTRACTUAL) == Decimal("50.70")
    assert plan.cash == Decimal("71.43")
    assert journal_is_balanced(entries)
    assert plan.all_exceptions == ()
    assert all(c.denials == () for c in plan.claims)


def test_a_denied_line_stays_open_on_the_payer_and_goes_to_the_denials_queue() -> None:
    denied = clp(
        "PCN-1",
        "140.00",
        "61.43",
        svc("99213", "120.00", "61.43", cas("CO", "45", "43.20"), cas("PR", "2", "15.37")),
        svc("36415", "20.00", "0", cas("CO", "97", "20.00"), remarks=("M15",)),
    )
    plan = plan_remittance(remittance(denied), [context()], on=PAID_ON)
    entries = [
        charge("PCN-1", "SBX01", {1: Decimal("120.00"), 2: Decimal("20.00")}, on=PAID_ON),
        *plan.entries,
    ]
    assert balance(entries, account=INS, claim_id="PCN-1", line=2) == Decimal("20.00")
    [claim_plan] = plan.claims
    [denial] = claim_plan.denials
    assert (denial.line, denial.procedure, denial.category) == (2, "36415", CarcCategory.CODING_BUNDLING)
    assert (str(denial.carc), denial.amount, denial.remarks) == ("CO-97", Decimal("20.00"), ("M15",))


def test_an_unknown_claim_is_an_exception_and_its_money_is_held_unapplied() -> None:
    plan = plan_remittance(remittance(paid_two_lines()), [None], on=PAID_ON)
    [claim_plan] = plan.claims
    assert claim_plan.exception is not None
    assert claim_plan.exception.kind == ExceptionKind.UNMATCHED_CLAIM
    assert "PCN-1" in claim_plan.exception.message
    assert balance(plan.entries, kind=AccountKind.UNAPPLIED) == Decimal("-71.43")
    assert plan.cash == Decimal("71.43")


def test_reversals_and_unbalanced_claims_are_exceptions() -> None:
    reversal = clp("PCN-1", "-140.00", "-71.43", status="22", adjustments=(cas("CO", "45", "-68.57"),))
    unbalanced = clp("PCN-1", "140.00", "71.43", adjustments=(cas("CO", "45", "60.00"),))
    plan = plan_remittance(remittance(reversal, unbalanced), [context(), context()], on=PAID_ON)
    kinds = [c.exception.kind for c in plan.claims if c.exception]
    assert kinds == [ExceptionKind.REVERSAL, ExceptionKind.UNBALANCED_CLAIM]
    assert plan.cash == 0
    assert not any(p.account.kind.receivable for e in plan.entries for p in e.postings)


def test_a_second_payment_for_a_settled_claim_is_held_not_posted() -> None:
    plan = plan_remittance(remittance(paid_two_lines()), [context(open_balance="0.00")], on=PAID_ON)
    assert plan.claims[0].exception is not None
    assert plan.claims[0].exception.kind == ExceptionKind.EXCEEDS_BALANCE


def test_the_same_claim_twice_in_one_remittance_cannot_be_credited_twice() -> None:
    plan = plan_remittance(remittance(paid_two_lines(), paid_two_lines()), [context(), context()], on=PAID_ON)
    assert plan.claims[0].posted
    assert plan.claims[1].exception is not None
    assert plan.claims[1].exception.kind == ExceptionKind.EXCEEDS_BALANCE


def test_provider_adjustments_and_a_payment_that_does_not_add_up() -> None:
    plb = ({"provider_id": "1234567893", "reason": "WO", "reference": "OVERPAY1", "amount": "25.00"},)
    good = remittance(paid_two_lines(), provider_adjustments=plb)
    plan = plan_remittance(good, [context()], on=PAID_ON)
    assert good.payment.amount == Decimal("46.43")
    assert plan.cash == Decimal("46.43")
    assert balance(plan.entries, kind=AccountKind.PROVIDER_ADJUSTMENT) == Decimal("25.00")
    assert plan.exceptions == ()
    off = remittance(paid_two_lines(), amount="80.00")
    plan = plan_remittance(off, [context()], on=PAID_ON)
    assert [e.kind for e in plan.exceptions] == [ExceptionKind.UNBALANCED_REMITTANCE]
    assert plan.cash == Decimal("80.00")
    assert balance(plan.entries, kind=AccountKind.UNAPPLIED) == Decimal("-8.57")


def test_a_secondary_remittance_ignores_the_prior_payers_share() -> None:
    payers = {Responsibility.PRIMARY: "SBX01", Responsibility.SECONDARY: "GAP02"}
    gap = Account.insurance("GAP02")
    ctx = ClaimContext("PCN-1", PATIENT, payers, billed_lines(TWO_LINES), {gap: Decimal("17.87")})
    secondary = clp(
        "PCN-1",
        "140.00",
        "17.87",
        svc("99213", "120.00", "15.37", cas("OA", "23", "104.63")),
        svc("36415", "20.00", "2.50", cas("OA", "23", "17.50")),
        status="2",
    )
    plan = plan_remittance(remittance(secondary, payer_id="GAP02"), [ctx], on=PAID_ON)
    assert plan.claims[0].posted
    assert plan.claims[0].responsibility == Responsibility.SECONDARY
    assert balance(plan.entries, account=gap) == Decimal("-17.87")
    assert balance(plan.entries, kind=AccountKind.ADJUSTMENT) == 0


def test_service_lines_match_by_control_number_then_procedure() -> None:
    swapped = clp(
        "PCN-1",
        "140.00",
        "30.00",
        svc("36415", "20.00", "10.00", cas("CO", "45", "10.00"), line_control_number="PCN-1-2"),
        svc("99213", "120.00", "20.00", cas("CO", "45", "100.00")),
    )
    plan = plan_remittance(remittance(swapped), [context()], on=PAID_ON)
    assert balance(plan.entries, account=INS, line=2) == Decimal("-20.00")
    assert balance(plan.entries, account=INS, line=1) == Decimal("-120.00")
    stranger = clp("PCN-1", "140.00", "0", svc("G0439", "140.00", "0", cas("CO", "45", "140.00")))
    plan = plan_remittance(remittance(stranger), [context()], on=PAID_ON)
    assert plan.claims[0].exception is not None
    assert plan.claims[0].exception.kind == ExceptionKind.UNMATCHED_LINE
    assert CASH not in {p.account for e in plan.entries for p in e.postings if p.amount}
