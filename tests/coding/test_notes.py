"""The rule-following coder on short notes written for the purpose: what a certified coder would code
(and would not), with evidence that points into the note."""

from typing import Any

import pytest

from medbill.coding.assertion import Status
from medbill.core.errors import InputError


def coded(result: Any) -> list[str]:
    return [c.code for c in result.codes]


def other(result: Any, code: str) -> Any:
    return next(c for c in result.others if c.code == code)


def test_negated_symptom_is_reported_not_coded(coder: Any) -> None:
    note = "Patient denies chest pain. Acute appendicitis."
    result = coder.code(note)
    assert coded(result) == ["K35.80"]
    pain = [m for m in result.mentions if m.text == "chest pain"]
    assert pain
    assert all(m.status is Status.NEGATED for m in pain)
    assert other(result, "R07.9").status is Status.NEGATED
    assert "not coded" in other(result, "R07.9").rationale


def test_no_evidence_of_is_negation(coder: Any) -> None:
    result = coder.code("Chest X-ray: no evidence of pneumonia.")
    assert not [c for c in coded(result) if c.startswith("J18")]


def test_family_history_is_z80_not_the_cancer(coder: Any, full_kb: Any) -> None:
    result = coder.code("Mother had breast cancer.")
    assert "Z80.3" in coded(result)
    assert not [c for c in coded(result) if c.startswith(("C50", "C80"))]
    assert any(m.status is Status.FAMILY for m in result.mentions)


def test_site_and_sex_give_the_breast_cancer_code(coder: Any, full_kb: Any) -> None:
    result = coder.code("She was diagnosed with breast cancer.")
    assert coded(result) == ["C50.919"]
    assert "Neoplasm table" in result.codes[0].rationale


def test_personal_history_of_mi_is_old_mi(coder: Any) -> None:
    result = coder.code("History of MI.")
    assert coded(result) == ["I25.2"]
    assert result.codes[0].status is Status.HISTORY


@pytest.mark.parametrize("setting", ["outpatient", "inpatient"])
def test_uncertain_diagnosis_by_setting(coder: Any, setting: str) -> None:
    result = coder.code("Probable pneumonia. Cough and fever.", setting)
    codes = coded(result)
    if setting == "outpatient":
        assert set(codes) == {"R05.9", "R50.9"}
        assert other(result, "J18.9").status is Status.POSSIBLE
        assert "outpatient" in other(result, "J18.9").rationale
    else:
        assert codes == ["J18.9"]
        assert "inpatient" in result.codes[0].rationale
        assert "routinely part of J18.9" in other(result, "R05.9").rationale


@pytest.mark.parametrize(("side", "code"), [("left", "M25.562"), ("right", "M25.561")])
def test_laterality_of_knee_pain(coder: Any, side: str, code: str) -> None:
    assert coded(coder.code(f"Pain in {side} knee.")) == [code]


@pytest.mark.parametrize(
    ("encounter", "seventh"), [("initial encounter", "A"), ("subsequent encounter", "D"), ("", "A")]
)
def test_injury_seventh_character(coder: Any, encounter: str, seventh: str) -> None:
    note = f"Closed fracture of the left patella{', ' + encounter if encounter else ''}."
    assert coded(coder.code(note)) == [f"S82.002{seventh}"]


def test_diabetes_with_ckd_stage_3a_is_a_combination(coder: Any) -> None:
    note = "Type 2 diabetes mellitus with diabetic chronic kidney disease stage 3a."
    result = coder.code(note)
    assert coded(result) == ["E11.22", "N18.31"]
    assert "E11.9" not in coded(result)
    n18 = result.codes[1]
    assert "E11.22" in n18.rationale  # sequenced after it as its "use additional code"


def test_excludes1_keeps_the_definitive_diagnosis(coder: Any) -> None:
    result = coder.code("Abdominal pain due to renal colic.")
    assert "N23" in coded(result)
    assert "R10.9" not in coded(result)
    assert "Excludes1" in other(result, "R10.9").rationale


def test_common_abbreviations(coder: Any) -> None:
    result = coder.code("Pt with HTN and DM2. SOB on exertion.")
    assert set(coded(result)) == {"I10", "E11.9", "R06.02"}
    assert {e.text for c in result.codes if c.code == "I10" for e in c.evidence} == {"HTN"}


def test_hypertension_with_heart_failure_is_presumed_linked(coder: Any) -> None:
    result = coder.code("Hx of HTN, COPD and CHF.")
    codes = coded(result)
    assert {"I11.0", "I50.9", "J44.9"} <= set(codes)
    assert "I10" not in codes
    assert codes.index("I50.9") == codes.index("I11.0") + 1  # "use additional code" follows


def test_evidence_offsets_slice_the_note(coder: Any) -> None:
    note = "CC: cough.\n\nHPI: 60 yo woman with  type 2 diabetes mellitus; denies fever.\nA/P: pneumonia."
    result = coder.code(note, "inpatient")
    assert result.codes
    for item in [*result.codes, *result.others]:
        for e in item.evidence:
            assert note[e.start : e.end] == e.text
    for m in result.mentions:
        assert note[m.start : m.end] == m.text


def test_one_sibling_for_a_generic_title(coder: Any) -> None:
    assert coded(coder.code("Current smoker with nicotine dependence.")) == ["F17.200"]


def test_sequence_puts_the_assessment_diagnosis_before_symptoms(coder: Any) -> None:
    result = coder.code("Headache since yesterday.\nAssessment: acute appendicitis.")
    assert coded(result) == ["K35.80", "R51.9"]


def test_symptoms_integral_to_the_diagnosis_are_not_coded(coder: Any) -> None:
    result = coder.code("Right knee pain.\nAssessment: primary osteoarthritis of the right knee.")
    assert coded(result) == ["M17.11"]
    assert "Guidelines I.B.5" in other(result, "M25.561").rationale


def test_unspecified_code_gives_way_to_the_specific_one(coder: Any) -> None:
    result = coder.code("73-year-old man with COPD and wheezing.\nAssessment: COPD with acute exacerbation.")
    assert coded(result) == ["J44.1"]
    assert "more specific J44.1" in other(result, "J44.9").rationale
    kept = coder.code("Dyspnea and wheezing.")
    assert set(coded(kept)) == {"R06.00", "R06.2"}


def test_wrapped_line_keeps_the_family_context(coder: Any) -> None:
    note = "HISTORY: Right knee pain for a year. No injury. Mother had\nrheumatoid arthritis."
    result = coder.code(note)
    assert not [c for c in coded(result) if c.startswith("M06")]
    assert any(m.text == "rheumatoid arthritis" and m.status is Status.FAMILY for m in result.mentions)


def test_section_titles_are_not_coded(coder: Any) -> None:
    result = coder.code("HISTORY OF PRESENT ILLNESS: cough for two days.")
    assert coded(result) == ["R05.9"]


def test_every_code_has_evidence_rationale_and_score(coder: Any) -> None:
    result = coder.code("Essential hypertension. Hyperlipidemia. Obesity.")
    assert set(coded(result)) == {"I10", "E78.5", "E66.9"}
    for item in result.codes:
        assert item.evidence
        assert item.rationale
        assert 0 < item.score <= 1
        assert item.system == "icd10cm"
        assert item.description


def test_empty_note_gives_an_empty_result(coder: Any) -> None:
    for note in ("", "   \n\t "):
        result = coder.code(note)
        assert result.codes == ()
        assert result.mentions == ()
        assert result.others == ()


def test_unknown_setting_is_an_input_error(coder: Any) -> None:
    with pytest.raises(InputError, match="setting"):
        coder.code("Cough.", "emergency")


def test_to_dict_shape(coder: Any) -> None:
    data = coder.code("Acute appendicitis.").to_dict()
    assert set(data) >= {"codes", "mentions"}
    item = data["codes"][0]
    assert set(item) == {"code", "system", "description", "score", "status", "evidence", "rationale", "coded"}
    assert item["coded"] is True
    assert all(not other["coded"] for other in data["others"])
    assert item["evidence"][0] == {"start": 0, "end": 18, "text": "Acute appendicitis"}


def test_bmi_is_coded_only_with_a_weight_condition(coder: Any) -> None:
    assert coded(coder.code("Obesity, BMI 32.4; discussed diet.")) == ["E66.9", "Z68.32"]
    alone = coder.code("BMI 32.4, no other findings.")
    assert coded(alone) == []
    assert "Guidelines I.B.14" in other(alone, "Z68.32").rationale


def test_history_of_tobacco_use(coder: Any) -> None:
    result = coder.code("COPD with acute exacerbation. History of tobacco use; continues to abstain.")
    assert coded(result) == ["J44.1", "Z87.891"]
