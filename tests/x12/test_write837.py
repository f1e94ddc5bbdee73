"""The 837P/837I writer: files pyx12 accepts, that read back to the same claims, grouped and numbered right."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill.core.claimfile import read_claim
from medbill.core.errors import InputError
from medbill.x12 import ControlNumberStore, read_837, write_837
from medbill.x12.envelope import EnvelopeReader
from medbill.x12.lexer import Lexer

from .conftest import NOW, all_claims, load_claim
from .pyx12_check import pyx12_errors

RULES_BASES = Path(__file__).parent.parent / "rules" / "bases"


def tr3_view(claim):
    """What an 837 can carry of a claim: when the patient is not the subscriber, the TR3 forbids the
    subscriber's address and demographics in 2010BA (X12 RFI 2281), and loop 2330A never has them."""
    if claim.patient is not None:
        claim = claim.replace(subscriber=claim.subscriber.replace(birth_date=None, sex="U", address=None))
    others = [
        o.replace(subscriber=o.subscriber.replace(birth_date=None, sex="U")) for o in claim.other_payers
    ]
    return claim.replace(other_payers=others)


def by_key(claims):
    return {(c.claim_id, c.frequency): c for c in claims}


@pytest.mark.parametrize(
    "name", [p.stem for p in sorted((Path(__file__).parent / "fixtures" / "claims").glob("*.json"))]
)
def test_each_fixture_claim_makes_an_837_pyx12_accepts(name, config, store):
    text = write_837([load_claim(name)], config, store=store, now=NOW)
    assert pyx12_errors(text) == []


def test_one_interchange_for_all_claims_passes_pyx12_and_reads_back(claims, config, store):
    text = write_837(claims, config, store=store, now=NOW)
    assert pyx12_errors(text) == []
    back, findings = read_837(text)
    assert findings == []
    assert by_key(back) == {key: tr3_view(c) for key, c in by_key(claims).items()}


@pytest.mark.parametrize("base", ["office_visit", "inpatient", "outpatient_hospital", "dme"])
def test_the_scrubber_base_claims_make_valid_837s(base, config, store):
    path = RULES_BASES / f"{base}.yaml"
    if not path.exists():
        pytest.skip(f"scrubber base claim {base} not present")
    claim = read_claim(path)
    if claim.type == "institutional" and not claim.patient_status:
        # the 837I requires the patient status (CL103, UB-04 FL 17); the writer says so instead of guessing
        with pytest.raises(InputError, match="cannot write") as caught:
            write_837([claim], config, store=store, now=NOW)
        assert any("patient_status" in p for p in caught.value.problems)
        claim = claim.replace(patient_status="01")
    text = write_837([claim], config, store=store, now=NOW)
    assert pyx12_errors(text) == []
    (back,), _ = read_837(text)
    assert back == tr3_view(claim).replace(billing_provider=back.billing_provider)
    assert back.billing_provider.tax_id == claim.billing_provider.tax_id.replace("-", "")


def test_uppercase_is_the_default_and_still_valid(claims, config, store):
    text = write_837(claims, config.replace(uppercase=True), store=store, now=NOW)
    assert "NM1*QC*1*DELACROIX*NIA" in text
    assert pyx12_errors(text) == []


def test_secondary_claim_carries_the_prior_payer_loops():
    claim = load_claim("professional_secondary_cob")
    text = write_837([claim], _config(), store=_store(), now=NOW)
    lines = text.split("~\n")
    sbr = [seg for seg in lines if seg.startswith("SBR*")]
    assert sbr == ["SBR*S*18*******MC", "SBR*P*18*GRP-4410******CI"]
    assert "AMT*D*104" in lines
    assert "AMT*EAF*26" in lines, "remaining patient liability is the prior payer's PR adjustments"
    assert "SVD*60054*80*HC:99213**1" in lines
    assert "CAS*CO*45*40" in lines
    assert "CAS*PR*2*20" in lines
    assert "CAS*PR*3*6*1" in lines
    assert lines.count("DTP*573*D8*20260320") == 2
    assert "REF*F8*HMH26079000123" in lines


def test_replacement_claim_has_frequency_7_and_the_payer_claim_number():
    text = write_837([load_claim("professional_replacement")], _config(), store=_store(), now=NOW)
    assert "CLM*PCN-OFFICE-0001*245***11:B:7*Y*A*Y*Y" in text
    assert "REF*F8*HMH26070004512" in text


def test_ndc_and_dependent_patient_segments():
    text = write_837([load_claim("professional_dependent_ndc")], _config(), store=_store(), now=NOW)
    lines = text.split("~\n")
    assert "HL*2*1*22*1" in lines
    assert "HL*3*2*23*0" in lines
    assert "PAT*19" in lines
    assert "LIN**N4*00487980125" in lines
    assert "CTP****6*ML" in lines
    assert "SV1*HC:94640:59*35*UN*1*22**1" in lines, "a line's own place of service goes in SV105"
    assert "REF*G1*AUTH-99812" in lines
    assert "DTP*431*D8*20260226" in lines
    assert "DTP*439*D8*20260226" in lines


def test_institutional_claim_segments():
    text = write_837([load_claim("institutional_inpatient")], _config(), store=_store(), now=NOW)
    lines = text.split("~\n")
    assert "GS*HC*MAPLECLINIC*ACMECH*20260401*0930*1*X*005010X223A2" in lines
    assert "CLM*IP-2026-000318*12456***11:A:1**A*Y*Y" in lines
    assert "DTP*434*RD8*20260210-20260214" in lines
    assert "DTP*435*DT*202602101430" in lines
    assert "CL1*1*7*01" in lines
    assert "HI*ABK:I214" in lines
    assert "HI*ABJ:R079" in lines
    assert "HI*BBR:4A023N7:D8:20260211" in lines
    assert "SV2*0120**7200*UN*4" in lines, "a room-and-board line has a revenue code and no HCPCS"


def test_claims_are_grouped_by_type_payer_and_billing_provider(store):
    claims = all_claims()
    many = [c.replace(claim_id=f"{c.claim_id}-{i}") for i in range(3) for c in claims]
    text = write_837(many, _config(), store=store, now=NOW)
    sets = list(EnvelopeReader(text).transaction_sets())
    assert len(sets) == len({(c.type, c.payer.id) for c in claims})
    assert sorted({s.implementation for s in sets}) == ["005010X222A1", "005010X223A2"]
    back, findings = read_837(text)
    assert findings == []
    assert len(back) == len(many)
    billing_levels = text.count("*20*1~")
    assert billing_levels == len({(c.type, c.payer.id, c.billing_provider.model_dump_json()) for c in claims})


def test_no_subscriber_or_patient_level_holds_more_than_100_claims(store):
    many = [load_claim("professional_office_visit").replace(claim_id=f"S{i:04d}") for i in range(230)]
    many += [load_claim("professional_dependent_ndc").replace(claim_id=f"D{i:04d}") for i in range(130)]
    text = write_837(many, _config(), store=store, now=NOW)
    back, findings = read_837(text)
    assert findings == []
    assert len(back) == 360
    assert text.count("*22*0~") == 3, "230 claims of one subscriber-patient: three subscriber levels"
    assert text.count("*23*0~") == 2, "130 claims of one dependent: two patient levels"


def test_transaction_sets_are_split_at_the_configured_size(store):
    claim = load_claim("professional_office_visit")
    many = [claim.replace(claim_id=f"PCN{i:04d}") for i in range(7)]
    text = write_837(many, _config().replace(max_claims_per_transaction=3), store=store, now=NOW)
    sets = list(EnvelopeReader(text).transaction_sets())
    assert len(sets) == 3
    assert [s.control_number for s in sets] == ["0001", "0002", "0003"]


def test_control_numbers_are_never_reused_and_survive_restarts(tmp_path):
    path = tmp_path / "numbers.json"
    claim = load_claim("professional_office_visit")
    seen = set()
    for _ in range(3):
        text = write_837(
            [claim, load_claim("institutional_inpatient")], _config(), store=ControlNumberStore(path), now=NOW
        )
        reader = EnvelopeReader(text)
        sets = list(reader.transaction_sets())
        (interchange,) = reader.interchanges
        numbers = {("ISA", interchange.control_number)}
        numbers |= {("GS", s.group.control_number) for s in sets if s.group}
        numbers |= {("ST", s.control_number) for s in sets}
        assert not numbers & seen
        seen |= numbers
    assert ControlNumberStore(path).last("ZZ:MAPLECLINIC") == {"interchange": 3, "group": 6, "transaction": 6}


def test_sender_receiver_and_usage_come_from_the_config(store):
    text = write_837(
        [load_claim("professional_office_visit")],
        _config().replace(sender_qualifier="30", sender_id="371234567", receiver_qualifier="01", usage="P"),
        store=store,
        now=NOW,
    )
    isa = next(iter(Lexer(text)))
    assert (isa.el(5), isa.el(6).strip(), isa.el(7), isa.el(15)) == ("30", "371234567", "01", "P")
    assert len(text.split("~")[0]) == 105


def test_a_five_digit_billing_zip_is_refused():
    claim = load_claim("professional_office_visit")
    address = claim.billing_provider.address.replace(zip="62701")
    claim = claim.replace(billing_provider=claim.billing_provider.replace(address=address))
    with pytest.raises(InputError) as caught:
        write_837([claim], _config(), store=_store(), now=NOW)
    assert any("9-digit" in p for p in caught.value.problems)


def test_delimiter_characters_in_data_cannot_break_the_file(store):
    claim = load_claim("professional_office_visit")
    sneaky = claim.subscriber.replace(last_name="O*Brien~Smith:Jr")
    text = write_837([claim.replace(subscriber=sneaky)], _config(), store=store, now=NOW)
    assert pyx12_errors(text) == []
    (back,), _ = read_837(text)
    assert back.subscriber.last_name == "O Brien Smith Jr"


names = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz'-.", min_size=1, max_size=30
).filter(lambda s: s.strip() and "  " not in s and s == s.strip())
cents = st.integers(min_value=1, max_value=10_000_000)


@settings(max_examples=40, deadline=None)
@given(names, names, cents, st.integers(min_value=1, max_value=999), st.sampled_from(["", "25", "59", "LT"]))
def test_claim_content_round_trips(last_name, first_name, charge_cents, units, modifier):
    from decimal import Decimal

    claim = load_claim("professional_office_visit")
    line = claim.lines[0].replace(
        charge=Decimal(charge_cents) / 100, units=Decimal(units), modifiers=[modifier] if modifier else []
    )
    claim = claim.replace(
        subscriber=claim.subscriber.replace(last_name=last_name, first_name=first_name), lines=[line]
    )
    (back,), findings = read_837(write_837([claim], _config(), store=_store(), now=NOW))
    assert findings == []
    assert back == claim


def _config():
    from .conftest import X12Config

    return X12Config(
        sender_id="MAPLECLINIC",
        receiver_id="ACMECH",
        uppercase=False,
        submitter={
            "name": "Maple Street Family Medicine",
            "id": "MAPLE01",
            "contact": {"name": "Billing", "phone": "5555550100"},
        },
    )


_STORE_DIR: list[Path] = []


def _store():
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="medbill-x12-"))
    _STORE_DIR.append(folder)
    return ControlNumberStore(folder / "numbers.json")
