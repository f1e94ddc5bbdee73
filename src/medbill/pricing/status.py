"""MPFS status codes (RVU file, Attachment A) and what pricing does with each.

Only A, R and T rows carry RVUs used for Medicare payment. R and C are priced by the MAC case by
case, so no amount is estimated; T (injections) is paid only when nothing else payable under the
fee schedule is billed the same day by the same provider; X and E services are outside the fee
schedule (paid, if covered, under another schedule such as the clinical lab fee schedule); B, P
(bundled), N (non-covered), I (not valid for Medicare) and the deleted codes are not paid.
"""

from dataclasses import dataclass
from enum import StrEnum

from medbill.core.findings import Severity


class Treatment(StrEnum):
    PAY = "pay"
    INJECTION = "injection"
    CARRIER_PRICED = "carrier-priced"
    OUTSIDE_SCHEDULE = "outside-schedule"
    NOT_PAYABLE = "not-payable"
    MEASUREMENT = "measurement"
    ANESTHESIA = "anesthesia"


@dataclass(frozen=True, slots=True)
class StatusRule:
    treatment: Treatment
    rule: str
    severity: Severity
    meaning: str


_RULES = {
    "A": StatusRule(Treatment.PAY, "", Severity.INFO, "active code, paid under the fee schedule"),
    "T": StatusRule(
        Treatment.INJECTION,
        "pricing.status-injection-bundled",
        Severity.DENY,
        "injection: paid only when no other fee-schedule service is billed the same day by the same provider",
    ),
    "R": StatusRule(
        Treatment.CARRIER_PRICED,
        "pricing.carrier-priced",
        Severity.WARN,
        "restricted coverage: if covered, the MAC prices the service",
    ),
    "C": StatusRule(
        Treatment.CARRIER_PRICED,
        "pricing.carrier-priced",
        Severity.WARN,
        "carrier-priced: the MAC sets RVUs and payment case by case",
    ),
    "X": StatusRule(
        Treatment.OUTSIDE_SCHEDULE,
        "pricing.status-statutory-exclusion",
        Severity.WARN,
        "statutory exclusion: not paid under the physician fee schedule (e.g. clinical lab, ambulance)",
    ),
    "E": StatusRule(
        Treatment.OUTSIDE_SCHEDULE,
        "pricing.status-excluded",
        Severity.WARN,
        "excluded from the physician fee schedule by regulation",
    ),
    "B": StatusRule(
        Treatment.NOT_PAYABLE,
        "pricing.status-bundled",
        Severity.DENY,
        "bundled: payment is included in the payment for other services",
    ),
    "P": StatusRule(
        Treatment.NOT_PAYABLE,
        "pricing.status-bundled",
        Severity.DENY,
        "bundled/excluded: no separate payment under the fee schedule",
    ),
    "N": StatusRule(
        Treatment.NOT_PAYABLE,
        "pricing.status-noncovered",
        Severity.DENY,
        "not covered by Medicare",
    ),
    "I": StatusRule(
        Treatment.NOT_PAYABLE,
        "pricing.status-invalid-for-medicare",
        Severity.DENY,
        "not valid for Medicare purposes: Medicare uses another code for this service",
    ),
    "M": StatusRule(
        Treatment.MEASUREMENT,
        "pricing.status-measurement",
        Severity.INFO,
        "measurement code: reported for quality programmes only, no payment",
    ),
    "J": StatusRule(
        Treatment.ANESTHESIA,
        "pricing.anesthesia-not-estimated",
        Severity.WARN,
        "anesthesia service: paid as (base units + time units) × the locality's anesthesia conversion factor",
    ),
}
_DELETED = StatusRule(
    Treatment.NOT_PAYABLE, "pricing.status-deleted", Severity.DENY, "deleted code (no longer valid)"
)


def status_rule(status: str) -> StatusRule:
    """The treatment of an RVU status code; unknown letters are left to the MAC.

    >>> status_rule("B").treatment.value, status_rule("A").treatment.value
    ('not-payable', 'pay')
    """
    if status in _RULES:
        return _RULES[status]
    if status in ("D", "F", "G", "H"):
        return _DELETED
    return StatusRule(
        Treatment.CARRIER_PRICED,
        "pricing.carrier-priced",
        Severity.WARN,
        f"status code {status!r} is not one pricing knows: left to the MAC",
    )
