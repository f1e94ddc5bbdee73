"""Monotonicity: more time never lowers the level; raising an MDM element never lowers it."""

from hypothesis import given
from hypothesis import strategies as st

from medbill.coding.em import Guidelines, NoBillableLevel, level

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
