"""The sandbox payer's decisions: denials with CARC/RARC, fee-schedule payment, deductible and
coinsurance, balancing, determinism (fixture fee schedule, scrubber findings given directly)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from medbill.codesets.mpfs_section import Mpfs
from medbill.core.claim import AdjustmentGroup, Claim
from medbill.core.findings import Finding, Severity
from medbill.core.remittance import Remittance
from medbill.pricing.sandbox import SandboxConfig, adjudicate_claims

from .casefile import build_claim


def claim(lines: list[dict[str, Any]], claim_id: str = "SBX-1", **extra: Any) -> Claim:
    spec = {"zip": "00501", "place_of_service": "22", "claim_id": claim_id, "lines": lines, **extra}
    return build_claim(spec)


def no_findings(_: Claim) -> list[Finding]:
    return []


def cas(remittance: Remittance, claim_index: int, line_index: int) -> list[tuple[str, str, str]]:
    line = remittance.claims[claim_index].lines[line_index]
    return [(a.group.value, a.reason, str(a.amount)) for a in line.adjustments]


def assert_balanced(remittance: Remittance) -> None:
    for payment in remittance.claims:
        for line in payment.lines:
            assert line.charge == line.paid + sum(a.amount for a in line.adjustments)
        assert payment.paid == sum(line.paid for line in payment.lines)
        assert payment.charge == sum(line.charge for line in payment.lines)
        assert payment.patient_responsibility == sum(
            a.amount
            for line in payment.lines
            for a in line.adjustments
            if a.group == AdjustmentGroup.PATIENT_RESPONSIBILITY
        )
    assert remittance.payment.amount == sum(c.paid for c in remittance.claims)


def test_paid_lines_split_into_contractual_deductible_and_coinsurance(fixture_mpfs: Mpfs) -> None:
    claims = [
        claim([{"procedure": "10001", "charge": "1000.00"}, {"procedure": "10002", "charge": "300.00"}]),
        claim([{"procedure": "90001", "charge": "100.00", "date": dt.date(2026, 3, 9)}], claim_id="SBX-2"),
    ]
    config = SandboxConfig(deductible=Decimal("283.00"))
    [remittance], decisions = adjudicate_claims(claims, mpfs=fixture_mpfs, scrub=no_findings, config=config)
    assert_balanced(remittance)
    # 10001: allowed 480.00; deductible 283.00; coinsurance 20% of 197.00 = 39.40; paid 157.60
    assert cas(remittance, 0, 0) == [("CO", "45", "520.00"), ("PR", "1", "283.00"), ("PR", "2", "39.40")]
    assert remittance.claims[0].lines[0].paid == Decimal("157.60")
    # 10002: 195.00 x 50% (second procedure) = 97.50: CO-59 97.50, CO-45 105.00, coinsurance 19.50
    assert cas(remittance, 0, 1) == [("CO", "59", "97.50"), ("CO", "45", "105.00"), ("PR", "2", "19.50")]
    # the deductible is met by the first claim: the second claim only has coinsurance (48.00 x 20%)
    assert cas(remittance, 1, 0) == [("CO", "45", "52.00"), ("PR", "2", "9.60")]
    assert [d.status for d in decisions] == ["1", "1"]
    assert remittance.claims[0].claim_filing_indicator == "MB"
    assert remittance.payment.date == dt.date(2026, 3, 23)  # last date of service + 14 days


def test_scrubber_denials_use_the_mapped_carc_and_rarc(fixture_mpfs: Mpfs) -> None:
    def scrub(_: Claim) -> list[Finding]:
        return [
            Finding("ncci.ptp", Severity.DENY, "column 2 code", lines=(2,)),
            Finding("ncci.mue", Severity.DENY, "units over MUE", lines=(3,)),
            Finding("structure.pos", Severity.WARN, "a warning does not deny", lines=(1,)),
        ]

    lines = [
        {"procedure": "90001", "charge": "100.00"},
        {"procedure": "10002", "charge": "300.00"},
        {"procedure": "90001", "units": 9, "charge": "900.00", "date": dt.date(2026, 3, 3)},
    ]
    [remittance], decisions = adjudicate_claims([claim(lines)], mpfs=fixture_mpfs, scrub=scrub)
    assert_balanced(remittance)
    assert cas(remittance, 0, 0)[0] == ("CO", "45", "52.00")
    assert cas(remittance, 0, 1) == [("CO", "236", "300.00")]
    assert cas(remittance, 0, 2) == [("CO", "151", "900.00")]
    assert remittance.claims[0].lines[2].remarks == ("N362",)
    assert decisions[0].lines[1].rules == ("ncci.ptp",)
    assert remittance.claims[0].status == "1"


def test_claim_level_errors_deny_every_line_and_the_claim(fixture_mpfs: Mpfs) -> None:
    def scrub(_: Claim) -> list[Finding]:
        return [Finding("structure.npi", Severity.REJECT, "billing NPI check digit")]

    [remittance], _decisions = adjudicate_claims(
        [claim([{"procedure": "90001", "charge": "100.00"}, {"procedure": "10002", "charge": "50.00"}])],
        mpfs=fixture_mpfs,
        scrub=scrub,
    )
    assert_balanced(remittance)
    assert remittance.claims[0].status == "4"
    assert remittance.claims[0].paid == Decimal("0.00")
    assert [cas(remittance, 0, i) for i in (0, 1)] == [[("CO", "16", "100.00")], [("CO", "16", "50.00")]]
    assert remittance.claims[0].lines[0].remarks == ("MA130",)
    assert remittance.payment.method == "NON"


def test_pricing_denials_and_unpriced_lines(fixture_mpfs: Mpfs) -> None:
    lines = [
        {"procedure": "90002", "charge": "40.00"},  # status B: bundled
        {"procedure": "90003", "charge": "40.00"},  # status C: the sandbox cannot price it
        {"procedure": "10002", "modifiers": ["80"], "charge": "40.00"},  # assistant not paid (indicator 1)
        {"procedure": "99999", "charge": "40.00"},  # not in the fee schedule
    ]
    [remittance], _decisions = adjudicate_claims([claim(lines)], mpfs=fixture_mpfs, scrub=no_findings)
    assert_balanced(remittance)
    assert [cas(remittance, 0, i)[0][1] for i in range(4)] == ["97", "16", "54", "181"]
    assert remittance.claims[0].lines[0].remarks == ("M15",)
    assert remittance.claims[0].lines[1].remarks == ("M127",)
    assert remittance.claims[0].status == "4"


def test_same_input_same_remittance(fixture_mpfs: Mpfs) -> None:
    claims = [
        claim([{"procedure": "10001", "charge": "1000.00"}]),
        claim([{"procedure": "90001"}], claim_id="B"),
    ]
    first = adjudicate_claims(claims, mpfs=fixture_mpfs, scrub=no_findings)[0]
    second = adjudicate_claims(claims, mpfs=fixture_mpfs, scrub=no_findings)[0]
    assert first == second
    assert first[0].claims[0].payer_claim_number != first[0].claims[1].payer_claim_number


def test_one_remittance_per_billing_provider(fixture_mpfs: Mpfs) -> None:
    other = claim([{"procedure": "90001", "charge": "100.00"}], claim_id="OTHER").model_dump()
    other["billing_provider"]["npi"] = "1245319599"
    other["billing_provider"]["name"] = "Second Clinic"
    claims = [claim([{"procedure": "90001", "charge": "100.00"}]), Claim.model_validate(other)]
    remittances, _ = adjudicate_claims(claims, mpfs=fixture_mpfs, scrub=no_findings)
    assert [(r.payee.id, [c.claim_id for c in r.claims]) for r in remittances] == [
        ("1234567893", ["SBX-1"]),
        ("1245319599", ["OTHER"]),
    ]
    for remittance in remittances:
        assert_balanced(remittance)


def test_institutional_claims_go_to_another_contractor(fixture_mpfs: Mpfs) -> None:
    spec = {"zip": "00501", "type": "institutional", "lines": [{"procedure": "90001", "charge": "100.00"}]}
    [remittance], _ = adjudicate_claims([build_claim(spec)], mpfs=fixture_mpfs, scrub=no_findings)
    assert cas(remittance, 0, 0) == [("CO", "109", "100.00")]
    assert remittance.claims[0].status == "4"
