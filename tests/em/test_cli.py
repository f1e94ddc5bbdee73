"""`medbill em`: output, JSON contract and exit statuses (0 level, 2 unusable input)."""

import io
import json
from pathlib import Path

import pytest

from medbill.cli.main import run


def _run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        run(["em", *args])
    return int(exit_info.value.code or 0)


def test_time_prints_the_code_and_the_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--patient", "established", "--time", "39"]) == 0
    out = capsys.readouterr().out
    assert "99214" in out
    assert "30-minute minimum" in out


def test_mdm_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    status = _run(
        ["--patient", "new", "--problems", "moderate", "--data", "minimal", "--risk", "moderate", "--json"]
    )
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert data["code"] == "99204"
    assert data["basis"] == "mdm"
    assert data["mdm"] == "moderate"
    assert data["elements_met"] == ["problems", "risk"]
    assert data["elements"] == {"problems": "moderate", "data": "minimal", "risk": "moderate"}
    assert data["minutes"] is None
    assert data["evidence"] == []


def test_both_bases_report_the_higher(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "--patient",
        "established",
        "--time",
        "41",
        "--problems",
        "low",
        "--data",
        "limited",
        "--risk",
        "low",
    ]
    assert _run([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["code"], data["basis"], data["time_code"], data["mdm_code"]) == (
        "99215",
        "time",
        "99215",
        "99213",
    )


def test_note_file_with_evidence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "visit.txt"
    text = "Hypertension, chronic stable. Refilled lisinopril. Total time 22 minutes."
    note.write_text(text)
    assert _run(["--patient", "established", "--note", str(note), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["code"], data["basis"]) == ("99213", "mdm")
    assert all(text[e["start"] : e["end"]] == e["text"] for e in data["evidence"])


def test_note_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"I spent 46 minutes with the patient."))
    monkeypatch.setattr("sys.stdin", stdin)
    assert _run(["--patient", "new", "--note", "-"]) == 0
    assert "99204" in capsys.readouterr().out


def test_non_utf8_note_is_decoded_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "latin1.txt"
    note.write_bytes("Caf\xe9 visit. Total time 31 minutes.".encode("latin-1"))
    assert _run(["--patient", "established", "--note", str(note)]) == 0
    captured = capsys.readouterr()
    assert "99214" in captured.out
    assert "not valid UTF-8" in " ".join(captured.err.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--patient", "new"], "nothing to level"),
        (["--patient", "established", "--time", "8"], "99211 is not selected"),
        (["--patient", "new", "--time", "10"], "below the 15-minute minimum of 99202"),
        (["--patient", "new", "--time", "half an hour"], "not a whole number"),
        (["--patient", "new", "--problems", "high"], "missing: data, risk"),
        (
            ["--patient", "new", "--problems", "high", "--data", "huge", "--risk", "low"],
            "data: 'huge' is not a level",
        ),
        (["--patient", "returning", "--time", "30"], "'new' or 'established'"),
        (["--patient", "new", "--note", "/nonexistent/visit.txt"], "no such file"),
        (["--patient", "new", "--note", "-", "--time", "30"], "cannot be combined"),
    ],
)
def test_unusable_input_exits_2_with_a_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(args) == 2
    assert message in " ".join(capsys.readouterr().err.split())


def test_a_note_documenting_nothing_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "empty.txt"
    note.write_text("Patient doing well.")
    assert _run(["--patient", "new", "--note", str(note)]) == 2
    assert "neither total time" in " ".join(capsys.readouterr().err.split())


def test_missing_patient_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--time", "30"]) == 2
    assert "--patient new or --patient established" in capsys.readouterr().err
