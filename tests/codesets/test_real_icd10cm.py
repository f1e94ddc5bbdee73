"""The real ICD-10-CM April 2026 Tabular (embedded in simple-icd-10-cm) and the real HCPCS file."""

from datetime import date
from importlib import resources

import pytest

ON = date(2026, 5, 1)


def _package_code_list() -> list[str]:
    """The package's own list of every code (chapters and blocks excluded), to cross-check our parse."""
    text = resources.files("simple_icd_10_cm.data").joinpath("code-list-April-2026.txt").read_text()
    return sorted({c for c in text.split() if "-" not in c and not c.isdigit()})


def test_every_april_2026_code_can_be_shown(kb):
    codes = _package_code_list()
    assert len(codes) == 98_186
    missing = [c for c in codes if kb.icd10cm.get(c, on=ON) is None]
    assert missing == []
    assert kb.icd10cm.count(on=ON, billable_only=True) == 74_719


def test_headers_answer_not_billable_with_children(kb):
    for header in ("E11", "S72.001", "I50", "T36.0X1"):
        record = kb.icd10cm.get(header, on=ON)
        assert not record.billable, header
        assert record.children, header
    result = kb.icd10cm.validate("I50", on=ON)
    assert "I50.9" in result.suggestions


def test_well_known_codes(kb):
    assert kb.icd10cm.get("E11.65", on=ON).description == "Type 2 diabetes mellitus with hyperglycemia"
    fracture = kb.icd10cm.get("S72001A", on=ON)
    assert fracture.code == "S72.001A"
    assert fracture.description.endswith("initial encounter for closed fracture")
    assert kb.icd10cm.get("T07.XXXA", on=ON).billable


def test_excludes1_of_type2_diabetes_covers_type1(kb):
    assert kb.icd10cm.excludes1_conflict("E11.9", "E10.9", on=ON) is not None
    assert kb.icd10cm.excludes1_conflict("E11.9", "I10", on=ON) is None


@pytest.mark.realdata
def test_hcpcs_validity_by_date(kb, mirror):
    assert kb.hcpcs.count() > 8000
    assert kb.hcpcs.validate("G0439", on=date(2026, 1, 15)).valid
    terminated = [
        r[0]
        for r in kb.conn.execute(
            "SELECT code FROM hcpcs_code WHERE kind='code' AND valid_to IS NOT NULL LIMIT 5"
        )
    ]
    assert terminated
    record = kb.hcpcs.get(terminated[0], on=date(2026, 1, 15))
    after = kb.hcpcs.validate(terminated[0], on=date(2026, 1, 15))
    assert not after.valid
    assert record.valid_to.isoformat() in after.reason
    assert kb.hcpcs.modifier("GA").kind == "modifier"
    assert kb.hcpcs.modifier("25") is None  # CPT modifiers are AMA's, not in the HCPCS file
