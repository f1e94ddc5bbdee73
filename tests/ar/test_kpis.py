"""The clean-claim rate of `medbill ar kpis`, on SQLite and PostgreSQL: what the claim edits said when
each claim was recorded, counted over the claims first billed in the period."""

import datetime as dt
from decimal import Decimal

from medbill.core.claim import Claim
from medbill.core.findings import Finding, Severity
from medbill.services.charges import record_claims
from medbill.services.reports import kpis
from medbill.storage import Database

from .ar_builders import DOS, claim

BLOCKED = {"PCN-3": Severity.DENY, "PCN-4": Severity.REJECT}


def edits(c: Claim) -> list[Finding]:
    """Stand-in claim edits: PCN-3 would be denied, PCN-4 rejected; the others pass."""
    severity = BLOCKED.get(c.claim_id)
    return [Finding("ncci.ptp", severity, "synthetic edit", lines=(1,))] if severity else []


def rate(database: Database, as_of: dt.date, days: int = 90) -> dict[str, object]:
    [kpi] = [k for k in kpis(database, as_of=as_of, period_days=days) if k.key == "clean_claim_rate"]
    return {"value": kpi.value, "clean": kpi.numerator, "checked": kpi.denominator}


def test_clean_claim_rate_counts_checked_claims_and_leaves_unchecked_ones_out(database: Database) -> None:
    record_claims(database, [claim(f"PCN-{n}") for n in (1, 2, 3, 4)], on=DOS, check=edits, force=True)
    record_claims(database, [claim("PCN-5")], on=DOS)  # recorded without running the edits
    assert rate(database, DOS) == {"value": Decimal("50.00"), "clean": Decimal(2), "checked": Decimal(4)}

    # recording a claim again (unchanged) does not count it twice; a claim billed after the period is
    # not in it
    record_claims(database, [claim("PCN-1")], on=DOS, check=edits)
    later = DOS + dt.timedelta(days=120)
    record_claims(database, [claim("PCN-6", dos=later)], on=later, check=edits)
    assert rate(database, DOS)["checked"] == Decimal(4)
    assert rate(database, later, days=30) == {
        "value": Decimal("100.00"),
        "clean": Decimal(1),
        "checked": Decimal(1),
    }


def test_nothing_checked_means_no_rate_rather_than_zero(database: Database) -> None:
    record_claims(database, [claim("PCN-1")], on=DOS)
    assert rate(database, DOS) == {"value": None, "clean": Decimal(0), "checked": Decimal(0)}
