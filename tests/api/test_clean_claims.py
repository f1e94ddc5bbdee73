"""One definition of a clean claim, for the app's claim worklist and dashboard and for the A/R
journal's clean-claim rate: no reject or deny finding on the claim's first pass through the edits
(warnings do not count; a claim that had to be fixed does). SQLite and PostgreSQL."""

import datetime as dt

import pytest
from tests.ar.ar_builders import DOS
from tests.ar.ar_builders import claim as ar_claim

from medbill.core.claim import Claim
from medbill.core.findings import Finding, Severity, is_clean
from medbill.services import batches, claim_work, engines
from medbill.services.charges import record_claims
from medbill.services.reports import kpis
from medbill.services.system_actor import cli_actor
from medbill.storage import Database

WARN = Finding("structure.hint", Severity.WARN, "the referring provider is usually given for this service")
INFO = Finding("structure.format", Severity.INFO, "checked by format only")
DENY = Finding("ncci.ptp", Severity.DENY, "column 2 code bundled into the visit", lines=(1,))
REJECT = Finding("structure.required", Severity.REJECT, "the subscriber's member id is missing")


def claim(claim_id: str, lines: tuple[tuple[str, str], ...] = (("99213", "120.00"),)) -> Claim:
    """An A/R test claim with the ZIP+4 an 837 needs."""
    base = ar_claim(claim_id, lines)
    billing = base.billing_provider.model_copy(
        update={"address": base.billing_provider.address.model_copy(update={"zip": "627011234"})}
    )
    return base.model_copy(update={"billing_provider": billing})


def test_a_claim_is_clean_unless_a_finding_rejects_or_denies_it() -> None:
    assert is_clean([])
    assert is_clean([WARN, INFO])
    assert not is_clean([WARN, DENY])
    assert not is_clean([REJECT])


def _rate(database: Database) -> tuple[str | None, str, str]:
    [rate] = [k for k in kpis(database, as_of=DOS + dt.timedelta(days=30)) if k.key == "clean_claim_rate"]
    return (str(rate.value) if rate.value is not None else None, str(rate.numerator), str(rate.denominator))


def test_the_journal_counts_warnings_as_clean_and_denials_as_not(service_database: Database) -> None:
    verdicts = {"PCN-1": [], "PCN-2": [WARN], "PCN-3": [INFO, WARN], "PCN-4": [DENY]}
    record_claims(
        service_database,
        [claim(i) for i in verdicts],
        on=DOS,
        check=lambda c: verdicts[c.claim_id],
        force=True,
    )
    assert _rate(service_database) == ("75.00", "3", "4")


def test_the_worklist_keeps_the_first_pass_verdict_and_the_dashboard_agrees(
    service_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor = cli_actor(service_database, what="test")
    findings = {"PCN-1": [WARN], "PCN-2": [DENY]}
    monkeypatch.setattr(engines, "check_claim", lambda c, today=None: findings[c.claim_id])
    for claim_id in findings:
        claim_work.create_claim(service_database, actor, claim(claim_id))

    warned = claim_work.check_claim(service_database, actor, "PCN-1")
    assert (warned.status.value, warned.clean) == ("ready", True)
    denied = claim_work.check_claim(service_database, actor, "PCN-2")
    assert (denied.status.value, denied.clean) == ("flagged", False)

    # the biller fixes the flagged claim: it is ready now, but it needed rework, so it is not clean
    fixed = claim_work.update_claim(service_database, actor, "PCN-2", claim("PCN-2", (("99214", "150.00"),)))
    assert fixed.clean is False
    findings["PCN-2"] = []
    rechecked = claim_work.check_claim(service_database, actor, "PCN-2")
    assert (rechecked.status.value, rechecked.clean) == ("ready", False)

    # what the worklist says is what the journal's clean-claim rate counts once the claims are sent
    batches.create_batch(service_database, actor, list(findings), on=DOS)
    assert _rate(service_database) == ("50.00", "1", "2")
