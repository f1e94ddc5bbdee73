"""The web app's seam: `engines.em_from_note` gets a JSON-ready dict with the `code` and `reason` the
encounter page shows, or None for a note that documents neither time nor MDM."""

import json

from medbill.services import engines

NOTE = """Assessment and plan:
1. Type 2 diabetes, poorly controlled. Ordered A1c and BMP.
2. Hypertension, well controlled. Refilled lisinopril.
Total time 28 minutes."""


def test_em_from_note_gives_code_reason_and_evidence_as_plain_data() -> None:
    em = engines.em_from_note(NOTE, visit_type="established")
    assert em is not None
    assert json.loads(json.dumps(em)) == em  # storable in the encounter's JSON column
    assert em["code"] == "99214"  # moderate problems (exacerbation) + moderate risk (prescription)
    assert em["basis"] == "mdm"
    assert "moderate MDM" in em["reason"]
    assert all(NOTE[e["start"] : e["end"]] == e["text"] for e in em["evidence"])


def test_em_from_note_new_patient_by_time() -> None:
    em = engines.em_from_note("Total time 47 minutes.", visit_type="new")
    assert em is not None
    assert (em["code"], em["basis"]) == ("99204", "time")


def test_em_from_note_is_none_when_nothing_is_documented() -> None:
    assert engines.em_from_note("Doing well, no complaints.", visit_type="established") is None
