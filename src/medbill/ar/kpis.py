"""Revenue-cycle KPIs computed from the journal, with their definitions stated.

The definitions follow HFMA's MAP Keys (Healthcare Financial Management Association), restated in
medbill's words; where medbill measures something slightly differently from the MAP Key (it has no
general ledger, so net A/R is the journal's receivables), the definition says so.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from medbill.core.money import money


@dataclass(frozen=True, slots=True)
class KpiInputs:
    """The sums and counts the KPIs are made of, for the period [start, end]."""

    start: date
    end: date
    net_ar: Decimal
    gross_charges: Decimal
    contractual: Decimal
    cash: Decimal
    claims_checked: int
    claims_clean: int
    claims_remitted: int
    claims_paid_first_pass: int
    claims_denied_first_pass: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def net_revenue(self) -> Decimal:
        return money(self.gross_charges - self.contractual)


@dataclass(frozen=True, slots=True)
class Kpi:
    key: str
    name: str
    value: Decimal | None
    unit: str
    numerator: Decimal
    denominator: Decimal
    definition: str

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "name": self.name,
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "numerator": str(self.numerator),
            "denominator": str(self.denominator),
            "definition": self.definition,
        }


def _ratio(numerator: Decimal, denominator: Decimal, scale: Decimal, places: str) -> Decimal | None:
    if denominator == 0:
        return None
    return (numerator * scale / denominator).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def compute_kpis(i: KpiInputs) -> list[Kpi]:
    """The five KPIs; a value is None when its denominator is zero (nothing to measure yet)."""
    daily = (i.net_revenue / i.days) if i.days > 0 else Decimal(0)
    hundred = Decimal(100)
    return [
        Kpi(
            "days_in_ar",
            "Net days in A/R",
            _ratio(i.net_ar, daily, Decimal(1), "0.1"),
            "days",
            i.net_ar,
            money(daily),
            "HFMA MAP Key 'Net Days in Accounts Receivable': net A/R divided by average daily net patient "
            f"service revenue. Net A/R is what the journal shows outstanding on {i.end.isoformat()} "
            "(payers and patients, credit balances netted; no allowance is estimated for claims not yet "
            f"adjudicated). Average daily net revenue is charges less contractual adjustments posted from "
            f"{i.start.isoformat()} to {i.end.isoformat()}, divided by the {i.days} days of that period.",
        ),
        Kpi(
            "clean_claim_rate",
            "Clean claim rate",
            _ratio(Decimal(i.claims_clean), Decimal(i.claims_checked), hundred, "0.01"),
            "%",
            Decimal(i.claims_clean),
            Decimal(i.claims_checked),
            "HFMA MAP Key 'Clean Claim Rate': claims that passed the claim edits without manual intervention "
            "divided by the claims that went through the edits. medbill counts a claim clean when its first pass "
            "through the claim edits found no reject or deny finding (warnings do not count against it; a claim "
            "that had to be fixed does); claims recorded without running the edits are left out. "
            "Period: claims first billed in it.",
        ),
        Kpi(
            "first_pass_payment_rate",
            "First-pass payment rate",
            _ratio(Decimal(i.claims_paid_first_pass), Decimal(i.claims_remitted), hundred, "0.01"),
            "%",
            Decimal(i.claims_paid_first_pass),
            Decimal(i.claims_remitted),
            "Claims paid on their first remittance with no line denied, divided by the claims whose first "
            "remittance arrived in the period. Not a MAP Key itself: it is the complement of the claims "
            "denied in HFMA's initial (remittance) denial measure, counted the same way.",
        ),
        Kpi(
            "denial_rate",
            "Initial denial rate",
            _ratio(Decimal(i.claims_denied_first_pass), Decimal(i.claims_remitted), hundred, "0.01"),
            "%",
            Decimal(i.claims_denied_first_pass),
            Decimal(i.claims_remitted),
            "HFMA's remittance-based initial denial rate: claims denied in full or in part on their first "
            "remittance (a CARC whose category is a denial, or CLP02 = 4) divided by the claims whose "
            "first remittance arrived in the period. Reversals are not counted as remittances.",
        ),
        Kpi(
            "net_collection_rate",
            "Net collection rate",
            _ratio(i.cash, i.net_revenue, hundred, "0.01"),
            "%",
            i.cash,
            i.net_revenue,
            "HFMA MAP Key 'Cash Collection as a Percentage of Net Patient Service Revenue': cash collected "
            "in the period (payer and patient payments, less refunds and provider-level adjustments) "
            "divided by net patient service revenue of the period (charges less contractual adjustments).",
        ),
    ]
