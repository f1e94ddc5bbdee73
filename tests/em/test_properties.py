"""Monotonicity: more time never lowers the level; raising an MDM element never lowers it."""

from hypothesis import given
from hypothesis import strategies as st

from medbill.coding.em import Guidelines, NoBillableLevel, level, level_from_note

G = Guidelines.default()
PATIENTS = st.sampled_from(["new", "established"])
ORDINAL = st.integers(min_value=0, max_value=3)
ELEMENT = st.sampled_from(["problems", "data", "risk"])


def _code(patient: str, minutes: int | None = None, **mdm: int) -> int:
    """The code as a comparable number, 0 when there is no billable level."""
    try:
        return int(level(patient, minutes=minutes, **mdm).code)  # type: ignore[arg-type]
    except NoBillableLevel:
        return 0


@given(PATIENTS, st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=60))
def test_more_time_never_lowers_the_level(patient: str, minutes: int, more: int) -> None:
    assert _code(patient, minutes + more) >= _code(patient, minutes)


@given(PATIENTS, ORDINAL, ORDINAL, ORDINAL, ELEMENT, st.none() | st.integers(min_value=0, max_value=90))
def test_raising_an_mdm_element_never_lowers_the_level(
    patient: str, problems: int, data: int, risk: int, element: str, minutes: int | None
) -> None:
    before = {"problems": problems, "data": data, "risk": risk}
    after = dict(before, **{element: min(3, before[element] + 1)})
    assert _code(patient, minutes, **after) >= _code(patient, minutes, **before)


@given(PATIENTS, ORDINAL, ORDINAL, ORDINAL)
def test_mdm_level_is_met_by_at_least_two_elements(patient: str, problems: int, data: int, risk: int) -> None:
    result = level(patient, problems=problems, data=data, risk=risk)
    assert result.mdm is not None
    mdm = G.mdm_levels.index(result.mdm)
    ords = {"problems": problems, "data": data, "risk": risk}
    assert len(result.elements_met) >= 2
    assert all(ords[e] >= mdm for e in result.elements_met)
    # and no higher level is met by two elements
    assert sum(1 for v in ords.values() if v > mdm) < 2


FRAGMENTS = st.sampled_from(
    [
        "Total time ",
        "spent ",
        "less than ",
        "0 minutes",
        "45 min",
        "1 hour ",
        "and 5 minutes",
        "no ",
        "chronic stable",
        "two ",
        "exacerbation",
        "ordered CBC",
        "reviewed labs",
        "Risk: ",
        "high",
        "Problems:",
        "prescribed",
        "DNR",
        ". ",
        ", ",
        "\n",
        "é",
        "Dr. ",
        " ",
    ]
)


@given(st.lists(FRAGMENTS | st.text(max_size=8), max_size=30).map("".join), PATIENTS)
def test_any_note_gives_a_level_or_none_with_evidence_that_slices_it(note: str, patient: str) -> None:
    result = level_from_note(note, patient=patient)
    if result is not None:
        assert result.code in {r.code for r in G.codes[result.patient]}
        for ev in result.evidence:
            assert note[ev.start : ev.end] == ev.text
