"""ICD-10-CM Tabular on a fixture written in the CDC XML format: codes, headers, 7th characters,
notes and the code ranges they cite, search, validity by date."""

from datetime import date

import pytest

from medbill.codesets import OutOfRangeError
from medbill.codesets.icd10cm.refs import CodeRange

ON = date(2099, 5, 1)


def test_billable_code_with_hierarchy(mini_kb):
    code = mini_kb.icd10cm.get("E1165", on=ON)
    assert code.code == "E11.65"
    assert code.billable
    assert code.parents == ("E11", "E11.6")
    assert code.chapter == "4"
    assert code.block == "E08-E13"
    assert code.valid_from == date(2099, 4, 1)
    assert code.valid_to == date(2099, 9, 30)


def test_header_is_not_billable_and_lists_children(mini_kb):
    header = mini_kb.icd10cm.get("E11", on=ON)
    assert not header.billable
    assert header.children == ("E11.6", "E11.9")
    result = mini_kb.icd10cm.validate("E11", on=ON)
    assert result.valid
    assert not result.billable
    assert result.suggestions == ("E11.65", "E11.9")


def test_seventh_character_codes_get_placeholder_x(mini_kb):
    t07 = mini_kb.icd10cm.get("T07", on=ON)
    assert not t07.billable
    assert [c for c in t07.children] == ["T07.XXXA", "T07.XXXD", "T07.XXXS"]
    derived = mini_kb.icd10cm.get("T07XXXA", on=ON)
    assert derived.billable
    assert derived.description == "Unspecified multiple injuries, initial encounter"
    assert derived.placeholder


def test_seventh_character_exception_from_notes(mini_kb):
    assert mini_kb.icd10cm.get("S06.0X0D", on=ON).billable
    assert mini_kb.icd10cm.get("S06.0X7A", on=ON).billable
    # "7th characters D and S do not apply to codes ... with 6th character 7"
    assert mini_kb.icd10cm.get("S06.0X7D", on=ON) is None
    assert mini_kb.icd10cm.get("S06.0X7S", on=ON) is None
    record = mini_kb.icd10cm.get("S06.0X0A", on=ON)
    assert [s.char for s in record.seventh_characters] == ["A", "D", "S"]
    assert record.seventh_from == "S06"


def test_notes_and_parsed_references(mini_kb):
    e11 = mini_kb.icd10cm.get("E11", on=ON)
    assert e11.notes["excludes1"] == (
        "diabetes mellitus due to underlying condition (E08.-)",
        "type 1 diabetes mellitus (E10.-)",
    )
    assert e11.references["excludes1"] == ("E08-E08", "E10-E10")
    assert e11.notes["use_additional_code"] == ("code to identify control using insulin (Z79.4)",)
    assert e11.notes["inclusion_terms"] == ("diabetes (mellitus) due to insulin secretory defect",)


def test_excludes1_is_inherited_and_expands_to_ranges(mini_kb):
    notes = mini_kb.icd10cm.excludes1("E11.65", on=ON)
    assert {n.owner for n in notes} == {"E11"}
    assert mini_kb.icd10cm.excludes1_conflict("E11.65", "E10.9", on=ON) is not None
    assert mini_kb.icd10cm.excludes1_conflict("E11.65", "I10", on=ON) is None
    block_notes = mini_kb.icd10cm.excludes1("I10", on=ON)
    assert block_notes[0].owner == "block:I10-I1A"
    assert CodeRange("O13", "O16") in block_notes[1].ranges


def test_unknown_and_malformed_codes(mini_kb):
    unknown = mini_kb.icd10cm.validate("E11.69", on=ON)
    assert not unknown.valid
    assert unknown.reason.startswith("unknown")
    assert "E11.65" in unknown.suggestions
    malformed = mini_kb.icd10cm.validate("11E.6", on=ON)
    assert not malformed.valid
    assert malformed.reason.startswith("malformed")


def test_date_outside_every_release_is_an_error(mini_kb):
    with pytest.raises(OutOfRangeError, match="2019-01-01"):
        mini_kb.icd10cm.get("E11.65", on=date(2019, 1, 1))


def test_search_is_robust_to_order_case_and_abbreviations(mini_kb):
    assert mini_kb.icd10cm.search("HYPERGLYCEMIA diabetes type 2", on=ON)[0].code == "E11.65"
    assert mini_kb.icd10cm.search("T2DM without complications", on=ON)[0].code == "E11.9"
    hit = mini_kb.icd10cm.search("htn", on=ON)[0]
    assert hit.code == "I10"
    assert hit.matched.startswith("hypertension (arterial)")


def test_iter_terms_streams_descriptions_and_inclusion_terms(mini_kb):
    terms = list(mini_kb.icd10cm.iter_terms(on=ON))
    assert ("Type 2 diabetes mellitus with hyperglycemia", "E11.65") in [(t.text, t.code) for t in terms]
    assert any(t.kind == "inclusion" and t.code == "E11" for t in terms)


def test_a_code_that_needs_its_seventh_character_says_so(mini_kb):
    result = mini_kb.icd10cm.validate("T07", on=ON)
    assert not result.billable
    assert result.reason.startswith("header: needs a 7th character (A, D, S)")
    assert "placeholder X" in result.reason
    assert result.suggestions == ("T07.XXXA", "T07.XXXD", "T07.XXXS")
