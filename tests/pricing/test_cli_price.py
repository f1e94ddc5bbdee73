"""`medbill price`: the JSON contract, the exit statuses, and the messages for bad input."""

import json
from pathlib import Path

import pytest

from medbill.cli.main import run

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data mirror whose mpfs folder is the synthetic fixture."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "mpfs").symlink_to(FIXTURES / "mpfs")
    monkeypatch.setenv("MEDBILL_DATA_MIRROR", str(mirror))
    monkeypatch.setenv("MEDBILL_HOME", str(tmp_path / "home"))
    return mirror


def _claim(tmp_path: Path, lines: list[dict[str, object]], zip5: str = "00501") -> Path:
    claim = {
        "claim_id": "CLI-1",
        "payer": {"id": "MCR", "name": "Medicare", "type": "medicare"},
        "billing_provider": {
            "npi": "1234567893",
            "tax_id": "123456789",
            "name": "Synthetic Clinic",
            "address": {"line1": "1 Way", "city": "Town", "state": "ZZ", "zip": zip5},
        },
        "subscriber": {"member_id": "SYN1", "last_name": "Test", "birth_date": "1950-01-01"},
        "place_of_service": "11",
        "diagnoses": ["I10"],
        "lines": lines,
    }
    path = tmp_path / "claim.json"
    path.write_text(json.dumps(claim))
    return path


def _run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        run(args)
    return int(exit_info.value.code or 0)


def test_json_output_is_exactly_the_contract(
    fixture_mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _claim(
        tmp_path,
        [
            {"procedure": "90001", "charge": "100.00", "service_date": "2026-03-02"},
            {"procedure": "10002", "modifiers": ["80"], "charge": "100.00", "service_date": "2026-03-02"},
        ],
    )
    status = _run(["price", str(path), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"claim_id", "lines", "total_allowed", "patient_responsibility"}
    assert data["claim_id"] == "CLI-1"
    assert [set(line) for line in data["lines"]] == [
        {"line", "procedure", "modifiers", "allowed", "trace"}
    ] * 2
    assert [line["allowed"] for line in data["lines"]] == ["63.00", "0.00"]
    assert data["lines"][1]["modifiers"] == ["80"]
    assert data["total_allowed"] == "63.00"
    assert data["patient_responsibility"] == "12.60"
    assert all({"item", "value"} <= set(step) for line in data["lines"] for step in line["trace"])
    assert status == 1  # assistant at surgery is not paid for 10002: a deny finding


def test_clean_claim_exits_zero_and_prints_a_table(
    fixture_mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _claim(tmp_path, [{"procedure": "90001", "charge": "100.00", "service_date": "2026-03-02"}])
    assert _run(["price", str(path), "--trace"]) == 0
    out = capsys.readouterr().out
    assert "63.00" in out
    assert "fee schedule amount" in out


def test_unknown_code_and_unknown_zip_are_explained(
    fixture_mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _claim(tmp_path, [{"procedure": "99999", "charge": "10.00", "service_date": "2026-03-02"}])
    assert _run(["price", str(path), "--json"]) == 1
    assert "99999 is not in the MPFS relative value file RVU26C" in capsys.readouterr().err
    path = _claim(
        tmp_path, [{"procedure": "90001", "charge": "10.00", "service_date": "2026-03-02"}], zip5="00999"
    )
    assert _run(["price", str(path)]) == 1
    assert "ZIP 00999 of the billing provider has no Medicare payment locality" in " ".join(
        capsys.readouterr().out.split()
    )


def test_bad_input_is_exit_2(
    fixture_mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["price", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "contract.yaml"
    bad.write_text("id: x\nschedules:\n  - {method: percent_of_medicare, start: 2026-01-01}\n")
    path = _claim(tmp_path, [{"procedure": "90001", "charge": "10.00", "service_date": "2026-03-02"}])
    assert _run(["price", str(path), "--contract", str(bad)]) == 2
    assert "needs percent" in capsys.readouterr().err
