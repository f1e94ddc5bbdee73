"""Reading a note: documented time, counted problems, data, risk; evidence offsets; nothing → None."""

import pytest

from medbill.coding import em
from medbill.coding.em import Basis, NoBillableLevel, assess_note, read_note
from medbill.core.errors import InputError


@pytest.mark.parametrize(
    ("note", "minutes"),
    [
        ("Total time: 35 minutes.", 35),
        ("I spent 40 min with the patient, more than half counseling.", 40),
        ("Total time on the date of the encounter was 1 hour 10 minutes.", 70),
        ("Time spent: 25 mins including documentation.", 25),
        ("Total time 1.5 hours.", 90),
        ("Total time less than 20 minutes.", 19),
    ],
)
def test_documented_total_time_is_read(note: str, minutes: int) -> None:
    assert read_note(note).minutes == minutes


def test_a_duration_without_a_time_cue_is_not_visit_time() -> None:
    assert read_note("Chest pain lasting 30 minutes, resolved at rest.").minutes is None


def test_total_time_wins_over_other_time_statements() -> None:
    note = "Spent 50 minutes reviewing outside records. Total time 35 minutes."
    assert read_note(note).minutes == 35


def test_established_39_and_40_minutes_from_a_note() -> None:
    r39 = em.level_from_note("Total time 39 minutes.", patient="established")
    r40 = em.level_from_note("Total time 40 minutes.", patient="established")
    assert r39 is not None
    assert r40 is not None
    assert (r39.code, r40.code) == ("99214", "99215")
    assert r40.basis is Basis.TIME


def test_evidence_offsets_slice_the_note() -> None:
    note = (
        "HPI: follow-up.\nAssessment: Type 2 diabetes, poorly controlled. Hypertension, well controlled.\n"
        "Plan: ordered A1c and BMP. Increase the dose of metformin. Total time 32 minutes."
    )
    result = em.level_from_note(note, patient="established")
    assert result is not None
    assert result.evidence
    for ev in result.evidence:
        assert note[ev.start : ev.end] == ev.text
    elements = {ev.element for ev in result.evidence}
    assert elements == {"time", "problems", "data", "risk"}


def test_mdm_from_a_note_moderate_problems_and_prescription_management() -> None:
    note = "Assessment: COPD with exacerbation.\nPlan: prescribed prednisone taper. Return in 2 weeks."
    result = em.level_from_note(note, patient="new")
    assert result is not None
    assert (result.code, result.basis, result.mdm) == ("99204", Basis.MDM, "moderate")
    assert result.elements_met == ("problems", "risk")
    assert result.data == "minimal"
    assert "data not documented (minimal)" in result.reason


def test_counted_stable_chronic_illnesses() -> None:
    one = read_note("Hypertension, chronic stable.")
    two_lines = read_note("1. Hypertension, well controlled.\n2. Hyperlipidemia, at goal.")
    two_words = read_note("Two chronic stable illnesses addressed.")
    assert (one.problems, two_lines.problems, two_words.problems) == (1, 2, 2)


@pytest.mark.parametrize(
    ("note", "problems"),
    [
        ("Viral URI, self-limited.", 0),
        ("Two minor problems: wart and insect bite.", 1),
        ("Acute uncomplicated ankle sprain.", 1),
        ("New breast lump, undiagnosed new problem with uncertain prognosis.", 2),
        ("Influenza with systemic symptoms.", 2),
        ("Heart failure with severe exacerbation.", 3),
        ("Chest pain, possible threat to life.", 3),
    ],
)
def test_problem_kinds_reach_their_levels(note: str, problems: int) -> None:
    assert read_note(note).problems == problems


def test_negated_cues_do_not_count() -> None:
    found = read_note("Asthma without exacerbation. No labs ordered. No prescription given.")
    assert (found.problems, found.data, found.risk) == (None, None, None)


@pytest.mark.parametrize(
    ("note", "data"),
    [
        ("Ordered CBC.", 0),
        ("Ordered CBC and TSH.", 1),
        ("History obtained from mother.", 1),
        ("Ordered CBC and TSH. Reviewed external notes from urgent care.", 2),
        ("Reviewed the chest x-ray; my interpretation: no infiltrate.", 2),
        ("Discussed with Dr. Patel from cardiology.", 2),
        ("Ordered CBC, BMP and TSH. Discussed with Dr. Patel from cardiology.", 3),
        # ordering and then reviewing the same test counts once
        ("Ordered CBC. Reviewed CBC.", 0),
    ],
)
def test_data_categories(note: str, data: int) -> None:
    assert read_note(note).data == data


@pytest.mark.parametrize(
    ("note", "risk"),
    [
        ("Recommend OTC ibuprofen.", 1),
        ("Prescription drug management: lisinopril refilled.", 2),
        ("Decision regarding elective major surgery.", 2),
        ("Warfarin, drug therapy requiring intensive monitoring for toxicity.", 3),
        ("Decision regarding hospitalization: patient declined admission.", 3),
        ("Goals of care discussed; DNR.", 3),
    ],
)
def test_risk_cues(note: str, risk: int) -> None:
    assert read_note(note).risk == risk


def test_stated_element_levels_are_read() -> None:
    result = em.level_from_note("MDM: Problems: moderate. Data: limited. Risk: high.", patient="established")
    assert result is not None
    assert (result.code, result.problems, result.data, result.risk) == (
        "99214",
        "moderate",
        "limited",
        "high",
    )


def test_time_and_mdm_in_one_note_take_the_higher_level() -> None:
    note = "Chronic stable hypertension. Refilled amlodipine. Total time 62 minutes."
    result = em.level_from_note(note, patient="new")
    assert result is not None
    assert (result.code, result.basis, result.mdm_code) == ("99205", Basis.TIME, "99203")


@pytest.mark.parametrize(
    "note", ["", "Patient feels well. Vitals normal. Follow up in a year.", "Pain for 30 minutes."]
)
def test_a_note_documenting_neither_gives_none(note: str) -> None:
    assert em.level_from_note(note, patient="established") is None
    with pytest.raises(InputError, match="neither total time"):
        assess_note(note, "established")


def test_time_below_every_minimum_gives_none_from_a_note_and_an_error_when_assessed() -> None:
    assert em.level_from_note("Total time 5 minutes.", patient="established") is None
    with pytest.raises(NoBillableLevel, match="99211 is not selected"):
        assess_note("Total time 5 minutes.", "established")


def test_a_bad_patient_type_is_still_an_error() -> None:
    with pytest.raises(InputError, match="'new' or 'established'"):
        em.level_from_note("Total time 30 minutes.", patient="inpatient")


@pytest.mark.parametrize(
    "note",
    [
        "Problems: high blood pressure, on amlodipine.",  # a diagnosis, not a level
        "Fall risk: high.",  # not the MDM risk element
        "Cardiac risk: high.",
    ],
)
def test_label_like_text_that_is_not_a_stated_level(note: str) -> None:
    found = read_note(note)
    assert found.problems is None
    assert found.risk is None


def test_numbers_that_are_not_counts() -> None:
    assert read_note("A1c 7.2, well controlled.").problems == 1
    assert read_note("BP 128/80 well controlled.").problems == 1
    assert read_note("Hypertension and hyperlipidemia, both well controlled.").problems == 2


def test_a_test_named_as_not_needed_is_not_counted() -> None:
    assert read_note("Ordered CBC, no x-ray needed.").data == 0
    assert read_note("Ordered CBC and x-ray.").data == 1


def test_symptom_words_are_not_chronic_exacerbation() -> None:
    assert read_note("Worsening cough for 3 days.").problems is None
    assert read_note("Symptoms started on Monday.").risk is None


def test_common_words_alone_do_not_make_a_note_document_mdm() -> None:
    note = "Reviewed medications and allergies. Rest of exam normal. Follow up in one year."
    assert em.level_from_note(note, patient="established") is None


def test_in_a_total_sentence_the_total_duration_counts() -> None:
    note = "Total visit time was approximately 60 minutes and about 10 minutes of that time was spent in counseling."
    assert read_note(note).minutes == 60
    assert read_note("I did spend over 25 minutes face-to-face with the patient.").minutes == 25


def test_sleep_time_is_not_visit_time() -> None:
    assert (
        read_note("She slept for a total sleep time of 398 minutes out of 432 minutes in bed.").minutes
        is None
    )


def test_goal_wording() -> None:
    assert read_note("Hypertension at goal.").problems == 1
    assert read_note("Hypertension not at goal.").problems == 2


def test_an_overall_mdm_statement_alone_is_not_element_documentation() -> None:
    assert em.level_from_note("Medical decision making: moderate complexity.", patient="new") is None
