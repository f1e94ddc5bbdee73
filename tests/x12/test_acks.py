"""999 and 277CA acknowledgments: which sets and claims were accepted or rejected, and why."""

import pytest

from medbill.x12.read277 import read_277ca
from medbill.x12.read999 import read_999

from .pyx12_check import pyx12_errors

REJECTING_999 = (
    "ISA*00*          *00*          *ZZ*ACMECH         *ZZ*MAPLECLINIC    *260402*1015*^*00501*000000451*0*T*:~"
    "GS*FA*ACMECH*MAPLECLINIC*20260402*1015*451*X*005010X231A1~"
    "ST*999*0001*005010X231A1~"
    "AK1*HC*3*005010X222A1~"
    "AK2*837*0003*005010X222A1~"
    "IK3*CLM*22*2300*8~"
    "CTX*CLM01:PCN-OFFICE-0001~"
    "IK4*2*782*4*0~"
    "IK4*5:3*1331*7*Q~"
    "IK5*R*5~"
    "AK2*837*0004*005010X222A1~"
    "IK5*A~"
    "AK9*P*2*2*1~"
    "SE*12*0001~GE*1*451~IEA*1*000000451~"
)

REJECTING_277CA = (
    "ISA*00*          *00*          *ZZ*ACMECH         *ZZ*MAPLECLINIC    *260402*1100*^*00501*000000452*0*T*:~"
    "GS*HN*ACMECH*MAPLECLINIC*20260402*1100*452*X*005010X214~"
    "ST*277*0001*005010X214~"
    "BHT*0085*08*B452*20260402*1100*TH~"
    "HL*1**20*1~NM1*PR*2*HARBOR MUTUAL HEALTH*****PI*60054~TRN*1*B452~DTP*050*D8*20260401~DTP*009*D8*20260402~"
    "HL*2*1*21*1~NM1*41*2*MAPLE STREET FAMILY MEDICINE*****46*MAPLE01~TRN*2*0003~"
    "STC*A1:19:PR*20260402*WQ*467.9~QTY*90*1~QTY*AA*1~AMT*YU*239.5~AMT*YY*228.4~"
    "HL*3*2*19*1~NM1*85*2*MAPLE STREET FAMILY MEDICINE*****XX*1234567893~TRN*1*0~"
    "STC*A1:19:PR**WQ*467.9~QTY*QA*1~QTY*QC*1~AMT*YU*239.5~AMT*YY*228.4~"
    "HL*4*3*PT~NM1*QC*1*LINDQVIST*AVERY****MI*HMH000111222~"
    "TRN*2*PCN-OFFICE-0001~STC*A2:20:PR*20260402*WQ*239.5~REF*1K*HMH26092000001~DTP*472*D8*20260302~"
    "HL*5*3*PT~NM1*QC*1*DELACROIX*NIA****MI*LHP55501~"
    "TRN*2*PCN-CHILD-0042~STC*A7:562:85*20260402*U*228.4~DTP*472*D8*20260227~"
    "SVC*HC:99213*120~STC*A7:145*20260402*U~DTP*472*D8*20260227~"
    "SE*38*0001~GE*1*452~IEA*1*000000452~"
)


def test_999_reports_rejected_and_accepted_sets_with_segment_and_element_errors():
    (group,), findings = read_999(REJECTING_999)
    assert findings == []
    assert (group.functional_id, group.group_control_number, group.status) == ("HC", "3", "P")
    assert group.status_text.startswith("Partially accepted")
    rejected, accepted = group.sets
    assert (rejected.control_number, rejected.accepted, accepted.accepted) == ("0003", False, True)
    assert rejected.errors == (("5", "One or more segments in error"),)
    (error,) = rejected.segment_errors
    assert (error.segment_id, error.position, error.loop_id, error.description) == (
        "CLM",
        22,
        "2300",
        "Segment has data element errors",
    )
    assert error.context == ("CTX*CLM01:PCN-OFFICE-0001",)
    first, second = error.elements
    assert (first.position, first.code, first.description, first.value) == (
        2,
        "4",
        "Data element too short",
        "0",
    )
    assert (second.position, second.component, second.reference, second.description) == (
        5,
        3,
        "1331",
        "Invalid code value",
    )


def test_our_999_example_is_valid_for_pyx12():
    assert pyx12_errors(REJECTING_999) == []


def test_277ca_gives_each_claim_its_verdict_and_status_codes():
    (report,), findings = read_277ca(REJECTING_277CA)
    assert findings == []
    assert (report.source_name, report.receiver_id) == ("HARBOR MUTUAL HEALTH", "MAPLE01")
    accepted, rejected = report.claims
    assert (accepted.claim_id, accepted.status, accepted.payer_claim_number) == (
        "PCN-OFFICE-0001",
        "accepted",
        "HMH26092000001",
    )
    assert (rejected.claim_id, rejected.status) == ("PCN-CHILD-0042", "rejected")
    (status,) = rejected.statuses
    assert (status.category, status.code, status.entity, str(status.amount)) == ("A7", "562", "85", "228.40")
    assert "invalid information" in status.category_text
    assert rejected.patient_name == "DELACROIX, NIA"
    (line,) = rejected.lines
    assert (line.procedure, line.statuses[0].code) == ("99213", "145")
    assert report.to_dict()["rejected"] == 1


def test_our_277ca_example_is_valid_for_pyx12():
    assert pyx12_errors(REJECTING_277CA) == []


@pytest.mark.realdata
def test_999_samples(samples):
    (group,), _ = read_999(samples / "999" / "ims_x12_999_rejected.txt")
    assert group.status == "R"
    (item,) = group.sets
    assert (item.control_number, item.accepted, item.segment_errors[0].description) == (
        "0028",
        False,
        "Unrecognized segment ID",
    )
    groups, _ = read_999(samples / "999" / "pyx12_834_lui_id_5010.999.txt")
    assert len(groups) == 4
    assert all(g.accepted for g in groups)


@pytest.mark.realdata
def test_277ca_samples(samples):
    (report,), findings = read_277ca(samples / "277CA" / "ims_x12_277CA_accepted.txt")
    (claim,) = report.claims
    assert (claim.claim_id, claim.status, claim.payer_claim_number) == (
        "5781",
        "accepted",
        "1107000000014420",
    )
    assert [f.rule for f in findings] == ["x12.structure.missing"], (
        "the sample lacks the 2200C STC the guide requires"
    )
    (masked,), _ = read_277ca(samples / "277CA" / "oop_277_Deidentified_from_nth.txt")
    assert masked.claims
    assert all(c.status == "other" for c in masked.claims), "masked status categories (X9)"
