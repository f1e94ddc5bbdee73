"""835 remittances: the public samples, balancing findings, the JSON shape, and the 835 writer."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from medbill.core.claim import CasAdjustment
from medbill.core.errors import InputError
from medbill.core.remittance import (
    ClaimPayment,
    Party,
    Payment,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
)
from medbill.x12.parse import parse_x12
from medbill.x12.read835 import read_835
from medbill.x12.write835 import write_835

from .conftest import NOW
from .pyx12_check import pyx12_errors

BALANCED = [
    "edi835_emedny_sample.txt",
    "lfh_cob-contractural-adjustment.835",
    "lfh_managed-care.835",
    "lfh_medicare-part-a.835",
]
MASKED = ["oop_ExampleFromNth.txt"]


def balancing(findings):
    return [f for f in findings if f.rule.startswith("x12.835.balance")]


@pytest.mark.realdata
def test_every_835_sample_parses(samples):
    files = sorted((samples / "835").iterdir())
    assert {f.name for f in files} == set(BALANCED + MASKED)
    for path in files:
        remittances, _ = read_835(path)
        assert remittances, path.name
        assert all(r.claims for r in remittances)


@pytest.mark.realdata
@pytest.mark.parametrize("name", BALANCED)
def test_balanced_samples_have_no_balancing_findings(samples, name):
    _, findings = read_835(samples / "835" / name)
    assert balancing(findings) == []


@pytest.mark.realdata
def test_masked_sample_reports_where_it_does_not_balance(samples):
    remittances, findings = read_835(samples / "835" / "oop_ExampleFromNth.txt")
    assert len(remittances) == 3
    found = balancing(findings)
    assert {f.rule for f in found} >= {
        "x12.835.balance.claim",
        "x12.835.balance.line",
        "x12.835.balance.payment",
    }
    assert all(f.path.startswith("segment ") for f in found)
    payment = [f for f in found if f.rule == "x12.835.balance.payment"]
    assert len(payment) == 3, "each of the three transaction sets is off"


@pytest.mark.realdata
def test_medicare_part_a_sample_maps_every_field(samples):
    (remittance,), _ = read_835(samples / "835" / "lfh_medicare-part-a.835")
    assert remittance.payment == Payment(
        amount=Decimal("150000.00"),
        method="ACH",
        date=dt.date(2002, 9, 13),
        trace_number="12345",
        credit_debit="C",
        originator_id="1512345678",
    )
    assert remittance.payee == Party(name="REGIONAL HOPE HOSPITAL", id="6543210903", id_qualifier="XX")
    first, second = remittance.claims
    assert (first.claim_id, first.status, first.charge, first.paid) == (
        "666123",
        "1",
        Decimal("211366.97"),
        Decimal("138018.40"),
    )
    assert first.payer_claim_number == "1999999444444"
    assert first.adjustments == (CasAdjustment(group="CO", reason="45", amount=Decimal("73348.57")),)
    assert first.patient_name == "JONES, SAM O"
    assert (first.service_date, first.service_date_end) == (dt.date(2002, 8, 16), dt.date(2002, 8, 24))
    assert second.remarks == ("MA02",)
    assert remittance.provider_adjustments == (
        ProviderAdjustment(
            provider_id="6543210903",
            fiscal_period_date=dt.date(2002, 12, 31),
            reason="CV",
            reference="CP",
            amount=Decimal("-1.27"),
        ),
    )


@pytest.mark.realdata
def test_json_shape_is_the_public_contract(samples):
    document = parse_x12(samples / "835" / "edi835_emedny_sample.txt").document
    assert document["type"] == "835"
    (transaction,) = document["transactions"]
    assert set(transaction) == {"payer", "payee", "payment", "claims", "provider_adjustments"}
    assert transaction["payment"] == {
        "amount": "45.75",
        "method": "ACH",
        "date": "2010-01-01",
        "trace_number": "10100000000",
    }
    claim = transaction["claims"][2]
    assert set(claim) == {
        "claim_id",
        "status",
        "charge",
        "paid",
        "patient_responsibility",
        "payer_claim_number",
        "adjustments",
        "lines",
    }
    assert (claim["charge"], claim["paid"], claim["patient_responsibility"]) == ("34.25", "11.50", "0.00")
    line = claim["lines"][2]
    assert set(line) == {
        "procedure",
        "modifiers",
        "charge",
        "paid",
        "units",
        "service_date",
        "adjustments",
        "remarks",
    }
    assert line == {
        "procedure": "V2700",
        "modifiers": ["RB"],
        "charge": "2.75",
        "paid": "0.00",
        "units": "0",
        "service_date": "2010-01-01",
        "adjustments": [{"group": "CO", "reason": "251", "amount": "2.75", "quantity": None}],
        "remarks": ["N206"],
    }
    json.dumps(document)


def sandbox_remittance() -> Remittance:
    """What a sandbox payer might send: one paid claim, one denied, a line with a range, a PLB."""
    return Remittance(
        payer=Party(name="Harbor Mutual Health", address={"line1": "PO Box 4400", "city": "Springfield", "state": "IL", "zip": "627014400"}),
        payee=Party(name="Maple Street Family Medicine", id="1234567893", id_qualifier="XX"),
        payment=Payment(amount=Decimal("139.50"), method="CHK", date=dt.date(2026, 3, 25), trace_number="CHK000812", originator_id="1371234567"),
        production_date=dt.date(2026, 3, 24),
        claims=(
            ClaimPayment(
                claim_id="PCN-OFFICE-0001",
                status="1",
                charge=Decimal("239.50"),
                paid=Decimal("149.50"),
                patient_responsibility=Decimal("30.00"),
                payer_claim_number="HMH26070004512",
                claim_filing_indicator="12",
                patient_name="Lindqvist, Avery J",
                service_date=dt.date(2026, 3, 2),
                remarks=("MA01",),
                lines=(
                    ServicePayment(
                        procedure="99214", modifiers=("25",), charge=Decimal("185.00"), paid=Decimal("120.00"), units=Decimal("1"),
                        service_date=dt.date(2026, 3, 2), allowed=Decimal("150.00"), line_control_number="L1",
                        adjustments=(CasAdjustment(group="CO", reason="45", amount=Decimal("35.00")), CasAdjustment(group="PR", reason="3", amount=Decimal("30.00"))),
                        remarks=("N130",),
                    ),
                    ServicePayment(
                        procedure="83036", charge=Decimal("42.50"), paid=Decimal("29.50"), units=Decimal("2"),
                        service_date=dt.date(2026, 3, 2), service_date_end=dt.date(2026, 3, 3),
                        adjustments=(CasAdjustment(group="CO", reason="45", amount=Decimal("13.00")),),
                    ),
                    ServicePayment(
                        procedure="36415", charge=Decimal("12.00"), paid=Decimal("0.00"), units=Decimal("1"),
                        service_date=dt.date(2026, 3, 2),
                        adjustments=(CasAdjustment(group="CO", reason="97", amount=Decimal("12.00")),),
                    ),
                ),
            ),
            ClaimPayment(
                claim_id="PCN-CHILD-0042", status="4", charge=Decimal("173.40"), paid=Decimal("0.00"),
                payer_claim_number="HMH26070009999", claim_filing_indicator="12",
                adjustments=(CasAdjustment(group="CO", reason="27", amount=Decimal("173.40")),),
            ),
        ),
        provider_adjustments=(ProviderAdjustment(provider_id="1234567893", fiscal_period_date=dt.date(2026, 12, 31), reason="L6", amount=Decimal("10.00")),),
    )  # fmt: skip


def test_835_writer_output_validates_and_reads_back(config, store):
    remittance = sandbox_remittance()
    text = write_835([remittance], config, store=store, now=NOW)
    assert pyx12_errors(text) == []
    (back,), findings = read_835(text)
    assert findings == []
    assert back == remittance


def test_835_writer_handles_ach_with_bank_details(config, store):
    remittance = sandbox_remittance()
    remittance = remittance.replace(payment=remittance.payment.replace(method="ACH"))
    text = write_835([remittance], config, store=store, now=NOW)
    assert (
        "BPR*C*139.5*C*ACH*CCP*01*123456789*DA*99887766*1371234567**01*987654321*DA*11223344*20260325" in text
    )
    assert pyx12_errors(text) == []
    assert read_835(text)[0] == [remittance]


def test_835_writer_refuses_unbalanced_or_incomplete_remittances(config, store):
    remittance = sandbox_remittance()
    off = remittance.replace(payment=remittance.payment.replace(amount=Decimal("140.00")))
    with pytest.raises(InputError) as caught:
        write_835([off], config, store=store, now=NOW)
    assert any("BPR02" in p for p in caught.value.problems)
    bare = remittance.replace(payer=Party(name="No Address Health"), payee=Party(name="No Id Clinic"))
    with pytest.raises(InputError) as caught:
        write_835([bare], config.replace(payer_contact=None), store=store, now=NOW)
    problems = " ".join(caught.value.problems)
    assert "payer.address" in problems
    assert "payee.id" in problems
    assert "payer_contact" in problems


def test_reversal_and_debit_payments_balance_with_signs(config, store):
    remittance = sandbox_remittance()
    reversal = remittance.claims[1].replace(
        claim_id="PCN-OLD-1", status="22", charge=Decimal("-100.00"), paid=Decimal("-80.00"),
        adjustments=(CasAdjustment(group="CO", reason="45", amount=Decimal("-20.00")),),
    )  # fmt: skip
    debit = remittance.replace(
        claims=(reversal,),
        provider_adjustments=(),
        payment=remittance.payment.replace(amount=Decimal("80.00"), credit_debit="D"),
    )
    text = write_835([debit], config, store=store, now=NOW)
    (back,), findings = read_835(text)
    assert findings == []
    assert back == debit
