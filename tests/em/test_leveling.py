"""Leveling by time and by MDM: every code's time boundaries, the two-of-three rule, both bases."""

import pytest

from medbill.coding.em import Basis, NoBillableLevel, level
from medbill.core.errors import InputError

# (patient, minutes just below the minimum → code, minimum → code)
TIME_BOUNDARIES = [
    ("new", 15, "99202", None),
    ("new", 30, "99203", "99202"),
    ("new", 45, "99204", "99203"),
    ("new", 60, "99205", "99204"),
    ("established", 10, "99212", None),
    ("established", 20, "99213", "99212"),
    ("established", 30, "99214", "99213"),
    ("established", 40, "99215", "99214"),
]


@pytest.mark.parametrize(("patient", "minimum", "code", "below"), TIME_BOUNDARIES)
def test_each_code_starts_at_its_time_minimum(
    patient: str, minimum: int, code: str, below: str | None
) -> None:
    at = level(patient, minutes=minimum)
    assert (at.code, at.basis, at.minutes) == (code, Basis.TIME, minimum)
    assert f"{minimum}-minute minimum of {code}" in at.reason
    if below is None:
        with pytest.raises(NoBillableLevel):
            level(patient, minutes=minimum - 1)
    else:
        assert level(patient, minutes=minimum - 1).code == below


def test_time_above_the_top_minimum_stays_at_the_top_code() -> None:
    assert level("new", minutes=74).code == "99205"
    assert level("established", minutes=54).code == "99215"
    assert level("established", minutes=54).notes == ()  # 99417 starts at 55 for established


def test_prolonged_service_is_noted_not_selected() -> None:
    result = level("new", minutes=90)
    assert result.code == "99205"
    assert any("2 × 99417" in n for n in result.notes)  # 75 and 90
    assert any("1 × G2212" in n for n in result.notes)  # from 89


def test_time_below_the_lowest_minimum_explains_and_mentions_99211() -> None:
    with pytest.raises(NoBillableLevel, match="below the 10-minute minimum of 99212") as info:
        level("established", minutes=9)
    assert "99211 is not selected" in str(info.value)
    with pytest.raises(NoBillableLevel, match="below the 15-minute minimum of 99202"):
        level("new", minutes=0)


@pytest.mark.parametrize(
    ("problems", "data", "risk", "mdm", "met"),
    [
        ("moderate", "minimal", "moderate", "moderate", ("problems", "risk")),
        ("minimal", "moderate", "moderate", "moderate", ("data", "risk")),
        ("high", "extensive", "low", "high", ("problems", "data")),
        ("high", "limited", "minimal", "low", ("problems", "data")),
        ("high", "minimal", "minimal", "straightforward", ("problems", "data", "risk")),
        ("low", "limited", "low", "low", ("problems", "data", "risk")),
        ("high", "moderate", "low", "moderate", ("problems", "data")),
    ],
)
def test_mdm_is_what_two_of_three_elements_meet(
    problems: str, data: str, risk: str, mdm: str, met: tuple[str, ...]
) -> None:
    result = level("established", problems=problems, data=data, risk=risk)
    assert (result.mdm, result.elements_met, result.basis) == (mdm, met, Basis.MDM)


@pytest.mark.parametrize(
    ("mdm", "new", "established"),
    [
        ("minimal", "99202", "99212"),
        ("low", "99203", "99213"),
        ("moderate", "99204", "99214"),
        ("high", "99205", "99215"),
    ],
)
def test_new_and_established_codes_for_each_mdm_level(mdm: str, new: str, established: str) -> None:
    data = {"minimal": "minimal", "low": "limited", "moderate": "moderate", "high": "extensive"}[mdm]
    assert level("new", problems=mdm, data=data, risk=mdm).code == new
    assert level("established", problems=mdm, data=data, risk=mdm).code == established


def test_moderate_problems_and_risk_with_minimal_data_reads_as_two_of_three() -> None:
    result = level("new", problems="moderate", data="minimal", risk="moderate")
    assert result.code == "99204"
    assert "problems moderate and risk moderate meet moderate (two of three; data minimal)" in result.reason


def test_with_time_and_mdm_the_higher_level_wins_and_names_its_basis() -> None:
    by_time = level("established", minutes=41, problems="low", data="limited", risk="low")
    assert (by_time.code, by_time.basis, by_time.mdm_code, by_time.time_code) == (
        "99215",
        Basis.TIME,
        "99213",
        "99215",
    )
    assert "by time" in by_time.reason
    assert "MDM supports 99213" in by_time.reason
    by_mdm = level("established", minutes=12, problems="high", data="extensive", risk="high")
    assert (by_mdm.code, by_mdm.basis) == ("99215", Basis.MDM)
    assert "Time: total time 12 minutes" in by_mdm.reason


def test_a_tie_is_named_mdm_unless_time_carries_prolonged_service() -> None:
    tie = level("established", minutes=45, problems="high", data="extensive", risk="high")
    assert (tie.code, tie.basis, tie.notes) == ("99215", Basis.MDM, ())
    long = level("established", minutes=60, problems="high", data="extensive", risk="high")
    assert (long.code, long.basis) == ("99215", Basis.TIME)
    assert long.notes


def test_time_below_every_minimum_does_not_block_an_mdm_level() -> None:
    result = level("established", minutes=5, problems="moderate", data="moderate", risk="low")
    assert (result.code, result.basis) == ("99214", Basis.MDM)
    assert "below the 10-minute minimum of 99212" in result.reason


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "give the total time"),
        ({"problems": "high"}, "missing: data, risk"),
        ({"problems": "high", "data": "moderate", "risk": "severe"}, "risk: 'severe' is not a level"),
        (
            {"problems": "high", "data": "low", "risk": "low"},
            "expected one of minimal, limited, moderate, extensive",
        ),
        ({"minutes": -1}, "≥ 0"),
    ],
)
def test_unusable_input_is_an_input_error_saying_what(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        level("new", **kwargs)  # type: ignore[arg-type]


def test_patient_must_be_new_or_established() -> None:
    with pytest.raises(InputError, match="'new' or 'established'"):
        level("returning", minutes=30)
    assert level(" New ", minutes=30).code == "99203"


def test_to_dict_is_plain_json_data() -> None:
    data = level("new", minutes=50).to_dict()
    assert data["code"] == "99204"
    assert data["patient"] == "new"
    assert data["basis"] == "time"
    assert data["elements"] == {"problems": None, "data": None, "risk": None}
    assert isinstance(data["elements_met"], list)
