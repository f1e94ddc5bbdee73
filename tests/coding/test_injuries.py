"""Injuries on short synthetic notes: the kind of injury and the site give the chapter-19 code
(side, 'unspecified' subtypes, the 7th character from the encounter), without the Alphabetic Index."""

from typing import Any

import pytest

from medbill.coding.assertion import Status
from medbill.coding.injuries import load, tokens


def coded(result: Any) -> list[str]:
    return [c.code for c in result.codes]


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Fracture of left distal radius, initial encounter.", "S52.502A"),
        ("Left distal radius fracture.", "S52.502A"),
        ("Fracture of right femoral neck, initial encounter.", "S72.001A"),
        ("Laceration of left hand.", "S61.412A"),
        ("Laceration of left hand with foreign body.", "S61.422A"),
        ("Laceration of the right index finger.", "S61.210A"),
        ("Sprain of right ankle, initial encounter.", "S93.401A"),
        ("Dislocation of right shoulder.", "S43.004A"),
        ("Strain of lower back.", "S39.012A"),
        ("Fractured nose.", "S02.2XXA"),
        ("Contusion of the right hand.", "S60.221A"),
        ("Open fracture of the right tibial shaft.", "S82.201B"),
        ("Sequela of fracture of left proximal humerus.", "S42.202S"),
        ("Fracture of left distal radius, subsequent encounter, routine healing.", "S52.502D"),
        ("Fracture of left distal radius, subsequent encounter with delayed healing.", "S52.502G"),
        ("Nondisplaced fracture of the left lateral malleolus.", "S82.65XA"),
    ],
)
def test_injury_is_coded_to_its_site_side_and_encounter(coder: Any, note: str, expected: str) -> None:
    result = coder.code(note)
    assert coded(result) == [expected]


def test_injury_evidence_spans_the_injury_word_and_the_site(coder: Any) -> None:
    note = "Fracture of left distal radius, initial encounter."
    item = coder.code(note).codes[0]
    assert [e.text for e in item.evidence] == ["Fracture of left distal radius"]
    assert all(note[e.start : e.end] == e.text for e in item.evidence)
    assert "S52.5" in item.rationale
    assert "7th character A" in item.rationale


def test_no_external_cause_nor_fracture_nos_from_the_bare_word(coder: Any) -> None:
    result = coder.code("Fracture of left distal radius, initial encounter.")
    considered = [c.code for c in (*result.codes, *result.others)]
    assert not [c for c in considered if c.startswith(("X58", "T14"))]


def test_missing_encounter_defaults_to_initial_and_says_so(coder: Any) -> None:
    item = coder.code("Laceration of left hand.").codes[0]
    assert item.code.endswith("A")
    assert "no encounter documented" in item.rationale


def test_bilateral_fractures_give_both_sides(coder: Any) -> None:
    assert sorted(coded(coder.code("Bilateral distal radius fractures."))) == ["S52.501A", "S52.502A"]


def test_side_not_documented_gives_the_unspecified_side(coder: Any) -> None:
    assert coded(coder.code("Distal radius fracture.")) == ["S52.509A"]


def test_negated_fracture_is_not_coded(coder: Any) -> None:
    result = coder.code("X-ray of the left wrist shows no fracture.")
    assert coded(result) == []
    negated = [c for c in result.others if c.code.startswith("S62")]
    assert negated
    assert all(c.status is Status.NEGATED for c in negated)


def test_two_injuries_in_one_note(coder: Any) -> None:
    result = coder.code("Contusion of left knee. Laceration of right hand, initial encounter.")
    assert sorted(coded(result)) == ["S61.411A", "S80.02XA"]


def test_injury_word_without_a_site_is_not_given_a_site(coder: Any) -> None:
    codes = coded(coder.code("Laceration repaired in the emergency room."))
    assert not [c for c in codes if c.startswith("S")]


def test_data_file_words_are_normalised() -> None:
    kinds, sites = load()
    assert ("fracture",) in kinds["fracture"].words
    assert any(tokens("distal radius") in s.words for s in sites)
    assert all(s.categories and all(c.startswith("S") for c in s.categories) for s in sites)


def test_part_of_a_site_is_coded_not_also_the_whole(coder: Any) -> None:
    note = "Fracture of the metatarsal of the left foot, subsequent encounter with nonunion."
    assert coded(coder.code(note)) == ["S92.302K"]


def test_generic_titles_of_other_sites_lose_to_the_documented_site(coder: Any) -> None:
    # "Abrasion, unspecified hip/thigh/toe..." titles match the bare word; the knees are documented
    result = coder.code("Abrasions to both knees.")
    assert sorted(coded(result)) == ["S80.211A", "S80.212A"]


def test_lumbar_puncture_is_not_a_puncture_wound(coder: Any) -> None:
    assert not [c for c in coded(coder.code("Lumbar puncture performed.")) if c.startswith("S")]


def test_open_reduction_does_not_make_the_fracture_open(coder: Any) -> None:
    note = "Closed fracture of right distal radius, initial encounter; open reduction and internal fixation."
    assert "S52.501A" in coded(coder.code(note))
