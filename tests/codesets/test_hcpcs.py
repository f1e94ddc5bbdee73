"""HCPCS Level II: validity by add and termination dates, modifiers (fixture in CMS's XLSX layout)."""

from datetime import date

import pytest

from medbill.codesets import OutOfRangeError


def test_code_valid_between_add_and_termination_dates(mini_kb):
    hcpcs = mini_kb.hcpcs
    assert hcpcs.validate("A4206", on=date(2025, 9, 30)).valid
    terminated = hcpcs.validate("A4206", on=date(2025, 10, 1))
    assert not terminated.valid
    assert terminated.reason == "terminated: last day of use 2025-09-30"
    assert hcpcs.validate("G0008", on=date(2026, 1, 15)).valid


def test_code_not_yet_added(mini_kb):
    result = mini_kb.hcpcs.validate("C9899", on=date(2025, 9, 30))
    assert not result.valid
    result = mini_kb.hcpcs.validate("C9899", on=date(2025, 10, 1))
    assert result.valid
    assert result.billable


def test_modifiers(mini_kb):
    modifier = mini_kb.hcpcs.modifier("25", on=date(2026, 1, 1))
    assert modifier.kind == "modifier"
    assert modifier.description.startswith("Significant, separately identifiable")
    assert [m.code for m in mini_kb.hcpcs.modifiers(on=date(2026, 1, 1))] == ["25"]
    assert not mini_kb.hcpcs.validate("CP", on=date(2026, 1, 1), kind="modifier").valid


def test_malformed_and_unknown(mini_kb):
    assert mini_kb.hcpcs.validate("G00081", on=date(2026, 1, 1)).reason.startswith("malformed")
    assert mini_kb.hcpcs.validate("G9999", on=date(2026, 1, 1)).reason.startswith("unknown")


def test_before_the_release(mini_kb):
    with pytest.raises(OutOfRangeError):
        mini_kb.hcpcs.validate("G0008", on=date(2020, 1, 1))


def test_search(mini_kb):
    hits = mini_kb.hcpcs.search("influenza vaccine administration", on=date(2026, 1, 1))
    assert hits[0].code == "G0008"
    assert hits[0].system == "hcpcs"
