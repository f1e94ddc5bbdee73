"""The full cycle on SQLite and PostgreSQL: claims → 837 → the sandbox payer's 835 → post → aging and
patient statements agree with the remittance to the cent.

Uses the real fee schedule of the data mirror (skipped when absent, required in CI) and the sandbox
payer (`medbill.pricing.sandbox`), with a scrubber stand-in that denies one line the way NCCI would,
so that a denial travels the whole way too.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from medbill.ar.aging import AgingBy
from medbill.ar.patients import patient_key
from medbill.core.claim import AdjustmentGroup, Claim
from medbill.core.claimfile import read_claims
from medbill.core.findings import Finding, Severity
from medbill.services.era import post_remittance_file
from medbill.services.journal import check_journal
from medbill.services.reports import aging, write_statement
from medbill.storage import Database
from medbill.x12 import read_837
from medbill.x12.config import X12Config
from medbill.x12.write835 import write_835
from medbill.x12.write837 import write_837

FIXTURES = Path(__file__).parent / "fixtures"
PROVIDER = X12Config(
    sender_id="SYNCLINIC",
    receiver_id="SANDBOX",
    submitter={
        "name": "Synthetic Family Medicine",
        "id": "SYN01",
        "contact": {"name": "Billing", "phone": "5555550100"},
    },
    receiver={"name": "Sandbox Medicare", "id": "SANDBOX"},
)
PAYER = X12Config(
    sender_id="SANDBOX", receiver_id="SYNCLINIC", payer_contact={"name": "EDI", "phone": "8005550199"}
)


def scrub(claim: Claim) -> list[Finding]:
    """Deny the venipuncture billed with the visit on AR-1001 (as a PTP edit would)."""
    if claim.claim_id == "AR-1001":
        return [Finding("ncci.ptp", Severity.DENY, "column 2 code bundled into the visit", lines=(2,))]
    return []


@pytest.fixture(scope="module")
def cycle(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Claim], Path]:
    """The claims as the payer read them from our 837, and the payer's 835 file."""
    from medbill.codesets.mpfs_section import Mpfs, mpfs_files
    from medbill.pricing.sandbox import SandboxConfig, adjudicate_claims

    claims = read_claims(FIXTURES / "claims.yaml")
    sent = write_837(claims, PROVIDER, now=dt.datetime(2026, 2, 25, 9, 0))
    received, findings = read_837(sent)
    assert not [f for f in findings if f.severity.blocking]
    mpfs = Mpfs.from_files(mpfs_files(mirror / "mpfs"))
    config = SandboxConfig(deductible=Decimal("40.00"), paid_on=dt.date(2026, 3, 10))
    remittances, _ = adjudicate_claims(received, mpfs=mpfs, scrub=scrub, config=config)
    path = tmp_path_factory.mktemp("era") / "sandbox.835"
    path.write_text(write_835(remittances, PAYER, now=dt.datetime(2026, 3, 10, 8, 0)))
    return received, path


@pytest.mark.realdata
def test_claims_to_837_to_sandbox_835_to_the_journal(database: Database, cycle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from medbill.services.charges import record_claims
    from medbill.services.remittance_files import read_remittances

    received, era = cycle
    record_claims(database, read_claims(FIXTURES / "claims.yaml"), on=dt.date(2026, 2, 25))
    [remittance] = read_remittances(era.read_bytes(), name=era.name)
    [posted] = post_remittance_file(database, era)
    assert posted.exceptions == ()
    assert posted.posted_claims == len(received)
    assert posted.denials == 1

    # what the payer said each patient owes, and what is left open with the payer (the denied line)
    owed: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    denied: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    by_id = {c.claim_id: c for c in received}
    for payment in remittance.claims:
        key = patient_key(by_id[payment.claim_id])
        for line in payment.lines:
            for a in line.adjustments:
                if a.group == AdjustmentGroup.PATIENT_RESPONSIBILITY:
                    owed[key] += a.amount
                elif a.reason not in ("45", "59", "253"):  # not a fee-schedule reduction: a denial
                    denied[key] += a.amount
    open_with_payer = sum(denied.values(), Decimal("0.00"))
    assert open_with_payer > 0
    assert sum(owed.values(), Decimal("0.00")) > 0
    total_charges = sum((c.total_charge for c in received), Decimal("0.00"))
    assert posted.payment == remittance.payment.amount

    report = aging(database, as_of=dt.date(2026, 3, 31))
    assert report.total == sum(owed.values()) + open_with_payer
    by_patient = {
        r.key: r.total for r in aging(database, as_of=dt.date(2026, 3, 31), by=AgingBy.PATIENT).rows
    }
    assert by_patient == {k: owed[k] + denied[k] for k in set(owed) | set(denied) if owed[k] + denied[k]}
    by_payer = {r.key: r.total for r in aging(database, as_of=dt.date(2026, 3, 31), by=AgingBy.PAYER).rows}
    assert by_payer["patient"] == sum(owed.values())
    assert sum(by_payer.values(), Decimal("0.00")) == report.total

    for key, amount in owed.items():
        pdf = tmp_path / f"{key}.pdf"
        statement = write_statement(database, key, pdf, on=dt.date(2026, 3, 31))
        assert statement.amount_due == amount
        assert f"Amount due: ${amount}" in pypdf.PdfReader(pdf).pages[0].extract_text()
    with database.reader() as uow:
        balances = uow.journal.account_balances()
    assert balances[next(a for a in balances if a.name == "cash")] == remittance.payment.amount
    assert -balances[next(a for a in balances if a.name == "revenue")] == total_charges
    assert check_journal(database).ok
