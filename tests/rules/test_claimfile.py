"""The claim-file loader: JSON/YAML/JSONL in, exact Decimals, every problem listed with its path."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbill.core.claim import Claim
from medbill.core.claimfile import iter_jsonl, json_path, parse_claim, read_claim, read_claims
from medbill.core.errors import InputError

from .claims import BASE_DIR, load_base


def test_reads_yaml_and_json_to_the_same_claim(tmp_path: Path) -> None:
    yaml_claim = read_claim(BASE_DIR / "office_visit.yaml")
    path = tmp_path / "claim.json"
    path.write_text(yaml_claim.model_dump_json(), encoding="utf-8")
    assert read_claim(path) == yaml_claim


def test_json_numbers_are_exact_decimals() -> None:
    data = load_base("office_visit")
    data["lines"][0]["charge"] = 0.1
    data["lines"][0]["units"] = 1.10
    claim = parse_claim(json.dumps(data))
    assert claim.lines[0].charge == Decimal("0.10")
    assert str(claim.lines[0].units) == "1.1"


def test_numbers_where_codes_are_expected_keep_their_text(tmp_path: Path) -> None:
    text = (BASE_DIR / "office_visit.yaml").read_text(encoding="utf-8")
    text = text.replace('place_of_service: "11"', "place_of_service: 11")
    assert "place_of_service: 11" in text
    path = tmp_path / "claim.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_claim(path).place_of_service == "11"


def test_every_problem_is_listed_with_its_json_path() -> None:
    data = load_base("office_visit")
    del data["payer"]
    data["lines"][0]["units"] = "two"
    data["lines"][0]["colour"] = "red"
    data["subscriber"]["birth_date"] = "1950-02-30"
    with pytest.raises(InputError) as caught:
        parse_claim(json.dumps(data), source="claim.json")
    problems = caught.value.problems
    paths = sorted(p.split(":")[0] for p in problems)
    assert paths == ["lines[0].colour", "lines[0].units", "payer", "subscriber.birth_date"]
    assert "4 problems" in str(caught.value)
    assert "claim.json" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("a: [unclosed", "neither JSON nor YAML"),
        ("just some words", "expected a claim"),
        ("", "empty"),
        ("[1, 2", "not valid JSON"),
        ('{"a": NaN}', "not valid JSON"),
    ],
)
def test_text_that_is_not_a_claim_is_an_input_error(text: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        parse_claim(text, source="x")


def test_jsonl_batch_keeps_going_after_a_bad_line() -> None:
    good = json.dumps(load_base("office_visit"))
    bad_claim = load_base("office_visit")
    bad_claim["claim_id"] = "BAD-1"
    del bad_claim["billing_provider"]
    lines = [good, "{broken", "", json.dumps(bad_claim), good]
    items = list(iter_jsonl(lines, source="batch.jsonl"))
    assert [i.line for i in items] == [1, 2, 4, 5]
    assert [i.claim is not None for i in items] == [True, False, False, True]
    assert items[2].claim_id == "BAD-1"
    assert items[2].error is not None
    assert items[2].error.problems == ("billing_provider: required field is missing",)


def test_read_claims_accepts_a_json_array_and_prefixes_paths(tmp_path: Path) -> None:
    data = load_base("office_visit")
    broken = load_base("office_visit")
    broken["lines"][0]["charge"] = "lots"
    path = tmp_path / "claims.json"
    path.write_text(json.dumps([data, data]), encoding="utf-8")
    assert len(read_claims(path)) == 2
    path.write_text(json.dumps([data, broken]), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_claims(path)
    assert caught.value.problems[0].startswith("[1]: lines[0].charge:")


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_claim(tmp_path / "nope.json")


@given(
    st.lists(st.one_of(st.integers(min_value=0, max_value=30), st.sampled_from(["lines", "units", "npi"])))
)
def test_json_path_renders_every_location(loc: list[int | str]) -> None:
    path = json_path(loc)
    assert path.count("[") == sum(isinstance(p, int) for p in loc)
    assert all(str(p) in path for p in loc)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2))
def test_charges_round_trip_exactly_through_json(charge: Decimal) -> None:
    data = load_base("office_visit")
    data["lines"][0]["charge"] = "__CHARGE__"
    text = json.dumps(data).replace('"__CHARGE__"', str(charge))
    claim = parse_claim(text)
    assert claim.lines[0].charge == charge
    assert Claim.model_validate_json(claim.model_dump_json()) == claim


@pytest.mark.parametrize(("written", "read"), [("2026-04-14", "2026-04-14"), ("20260414", "2026-04-14")])
def test_dates_are_iso_or_the_x12_form(written: str, read: str) -> None:
    data = load_base("office_visit")
    data["lines"][0]["service_date"] = written
    assert parse_claim(json.dumps(data)).lines[0].service_date.isoformat() == read


@pytest.mark.parametrize("written", ["04/14/2026", "2026-02-30", "1776124800", "14.04.2026"])
def test_other_date_forms_are_refused_not_guessed(written: str) -> None:
    data = load_base("office_visit")
    data["lines"][0]["service_date"] = written
    with pytest.raises(InputError) as caught:
        parse_claim(json.dumps(data))
    assert caught.value.problems[0].startswith("lines[0].service_date: not a")
    assert "YYYY-MM-DD" in caught.value.problems[0]
