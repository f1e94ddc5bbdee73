"""`medbill claims check | schema` and `medbill rules list`, as a biller runs them."""

import json
from pathlib import Path

import pytest

from medbill.cli.main import run

from .claims import load_base


@pytest.fixture
def cli_env(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No knowledge base and an empty mirror: only the edits that need no reference data run."""
    empty = tmp_path / "mirror"
    empty.mkdir()
    monkeypatch.setenv("MEDBILL_DATA_MIRROR", str(empty))
    return home


def medbill(*argv: str) -> int:
    with pytest.raises(SystemExit) as done:
        run(list(argv))
    return int(done.value.code or 0)


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_clean_claim_exits_0(cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claim = write(tmp_path / "claim.json", load_base("office_visit"))
    assert medbill("claims", "check", str(claim), "--json", "--today", "2026-06-30") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["claim_id"] == "PCN-OFFICE-0001"
    assert {f["severity"] for f in result["findings"]} == {"info"}
    assert "scrubber.not_checked" in {f["rule"] for f in result["findings"]}


def test_reject_finding_exits_1_with_every_field(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = load_base("office_visit")
    data["billing_provider"]["npi"] = "1234567890"
    claim = write(tmp_path / "claim.json", data)
    assert medbill("claims", "check", str(claim), "--json", "--today", "2026-06-30") == 1
    finding = json.loads(capsys.readouterr().out)["findings"][0]
    assert finding["rule"] == "structure.npi"
    assert set(finding) >= {"rule", "severity", "message", "lines", "codes", "source", "fix"}
    assert set(finding["source"]) == {"name", "release", "effective"}


def test_human_output_names_the_rule_and_the_fix(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = load_base("office_visit")
    data["lines"][0]["units"] = 0
    claim = write(tmp_path / "claim.json", data)
    assert medbill("claims", "check", str(claim), "--today", "2026-06-30") == 1
    out = capsys.readouterr().out
    assert "structure.units" in out
    assert "fix:" in out


def test_invalid_claim_file_exits_2_listing_every_problem(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = load_base("office_visit")
    del data["lines"][0]["service_date"]
    data["lines"][0]["charge"] = "ten"
    claim = write(tmp_path / "claim.json", data)
    assert medbill("claims", "check", str(claim)) == 2
    err = capsys.readouterr().err
    assert "lines[0].service_date" in err
    assert "lines[0].charge" in err


def test_not_json_or_yaml_exits_2(cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claim = tmp_path / "claim.json"
    claim.write_text("{this is not", encoding="utf-8")
    assert medbill("claims", "check", str(claim)) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_batch_gives_one_result_per_line_and_survives_a_bad_line(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = load_base("office_visit")
    denied = load_base("office_visit")
    denied["claim_id"] = "PCN-2"
    denied["lines"][0]["charge"] = 0
    broken = load_base("office_visit")
    broken["claim_id"] = "PCN-3"
    del broken["payer"]
    batch = tmp_path / "claims.jsonl"
    batch.write_text(
        "\n".join([json.dumps(good), json.dumps(denied), "{oops", json.dumps(broken), json.dumps(good)])
        + "\n",
        encoding="utf-8",
    )
    assert medbill("claims", "check", "--batch", str(batch), "--json", "--today", "2026-06-30") == 1
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["claim_id"] for r in results] == ["PCN-OFFICE-0001", "PCN-2", None, "PCN-3", "PCN-OFFICE-0001"]
    assert results[2]["line"] == 3
    assert results[2]["findings"][0]["rule"] == "claim.invalid"
    assert results[3]["error"]["problems"] == ["payer: required field is missing"]
    assert "structure.charge" in {f["rule"] for f in results[1]["findings"]}


def test_overlay_changes_a_severity(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = load_base("office_visit")
    data["lines"][0]["charge"] = 0
    claim = write(tmp_path / "claim.json", data)
    overlay = tmp_path / "acme.yaml"
    overlay.write_text("name: Acme\nrules:\n  structure.charge: {severity: warn}\n", encoding="utf-8")
    assert (
        medbill("claims", "check", str(claim), "--json", "--overlay", str(overlay), "--today", "2026-06-30")
        == 0
    )
    finding = next(
        f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "structure.charge"
    )
    assert finding["severity"] == "warn"
    assert finding["overlay"] == "Acme"


def test_overlay_with_a_misspelled_rule_is_an_input_error(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim = write(tmp_path / "claim.json", load_base("office_visit"))
    overlay = tmp_path / "acme.yaml"
    overlay.write_text("name: Acme\nrules:\n  structure.charges: {enabled: false}\n", encoding="utf-8")
    assert medbill("claims", "check", str(claim), "--overlay", str(overlay)) == 2
    assert "rules.structure.charges: no rule has this id" in capsys.readouterr().err


def test_schema_is_the_claim_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert medbill("claims", "schema") == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"claim_id", "payer", "billing_provider", "subscriber", "diagnoses", "lines"} <= set(
        schema["properties"]
    )
    assert set(schema["required"]) >= {"claim_id", "payer", "billing_provider", "subscriber"}


def test_rules_list_documents_every_rule_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert medbill("rules", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    ids = [r["id"] for r in listed["rules"]]
    assert {"ncci.ptp", "ncci.mue", "ncci.aoc", "structure.npi", "icd10cm.excludes1"} <= set(ids)
    assert all(r["source"]["name"] and r["title"] and r["description"] for r in listed["rules"])
    assert "scrubber.not_checked" in listed["engine_findings"]
    assert medbill("rules", "list") == 0
    assert "ncci.ptp" in capsys.readouterr().out
