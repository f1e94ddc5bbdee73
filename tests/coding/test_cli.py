"""`medbill code`, `medbill code --batch`, `medbill eval codiesp`, `medbill coding info`: shapes,
bad input and exit statuses (rule-only: the test home has no learned model)."""

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from medbill.cli.main import run


def medbill(*argv: str) -> int:
    with pytest.raises(SystemExit) as done:
        run(list(argv))
    return int(done.value.code or 0)


def flat(text: str) -> str:
    """Console output with rich's line wrapping undone."""
    return " ".join(text.split())


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_code_file_json(cli_env: Path, tmp_path: Path, capsys: Any) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Type 2 diabetes mellitus with diabetic chronic kidney disease stage 3a.\n")
    assert medbill("code", str(note), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["code"] for c in data["codes"]] == ["E11.22", "N18.31"]
    assert data["mentions"]
    assert data["setting"] == "outpatient"


def test_code_table_names_the_codes_and_the_negated_mention(
    cli_env: Path, tmp_path: Path, capsys: Any
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Denies chest pain. Acute appendicitis.")
    assert medbill("code", str(note)) == 0
    out = capsys.readouterr().out
    assert "K35.80" in out
    assert "negated" in out
    assert "chest pain" in out


def test_code_stdin_and_setting(cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    stdin(monkeypatch, b"Probable pneumonia.")
    assert medbill("code", "-", "--setting", "inpatient", "--json") == 0
    assert [c["code"] for c in json.loads(capsys.readouterr().out)["codes"]] == ["J18.9"]


def test_empty_note_is_an_empty_result(cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    stdin(monkeypatch, b"")
    assert medbill("code", "-", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["codes"] == []
    assert data["mentions"] == []


def test_non_utf8_is_replaced_with_a_warning(cli_env: Path, tmp_path: Path, capsys: Any) -> None:
    note = tmp_path / "latin1.txt"
    note.write_bytes("Acute appendicitis. Caf\u00e9 au lait spots.".encode("latin-1"))
    assert medbill("code", str(note), "--json") == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert "K35.80" in [c["code"] for c in data["codes"]]
    assert "not valid UTF-8" in flat(captured.err)
    assert any("replaced" in w for w in data["warnings"])


def test_missing_file_exits_2(cli_env: Path, tmp_path: Path, capsys: Any) -> None:
    missing = tmp_path / "nope.txt"
    assert medbill("code", str(missing)) == 2
    assert f"{missing}: no such file" in flat(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["code", "--setting", "er", "-"], "--setting"),
        (["code", "--on", "2026-13-01", "-"], "--on"),
        (["code"], "missing FILE"),
        (["code", "--batch", "/nonexistent-folder", "--json"], "no such folder"),
        (["eval", "codiesp", "/nonexistent-folder", "--track", "X"], "--track"),
        (["eval", "codiesp", "/nonexistent-folder", "--track", "D"], "no such folder"),
    ],
)
def test_bad_input_exits_2(cli_env: Path, argv: list[str], message: str, capsys: Any) -> None:
    assert medbill(*argv) == 2
    assert message in flat(capsys.readouterr().err)


def test_a_folder_given_as_file_exits_2(cli_env: Path, tmp_path: Path, capsys: Any) -> None:
    assert medbill("code", str(tmp_path)) == 2
    assert "--batch" in flat(capsys.readouterr().err)


def test_batch_prints_one_json_line_per_note(cli_env: Path, tmp_path: Path, capsys: Any) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "b.txt").write_text("History of MI.")
    (folder / "a.txt").write_text("Pain in left knee.")
    (folder / "ignored.md").write_text("Acute appendicitis.")
    assert medbill("code", "--batch", str(folder), "--json") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [x["document"] for x in lines] == ["a", "b"]
    # every code considered, highest score first, each saying whether medbill codes it
    for line in lines:
        scores = [c["score"] for c in line["codes"]]
        assert scores == sorted(scores, reverse=True)
        assert len({(c["system"], c["code"]) for c in line["codes"]}) == len(line["codes"])
    assert [(x["document"], [c["code"] for c in x["codes"] if c["coded"]]) for x in lines] == [
        ("a", ["M25.562"]),
        ("b", ["I25.2"]),
    ]
    assert medbill("code", "--batch", str(folder), "--json", "--coded-only") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(x["document"], [c["code"] for c in x["codes"]]) for x in lines] == [
        ("a", ["M25.562"]),
        ("b", ["I25.2"]),
    ]


def write_split(root: Path) -> Path:
    """A two-document split laid out like CodiEsp (gold written for these notes)."""
    split = root / "dev"
    (split / "text_files_en").mkdir(parents=True)
    (split / "text_files_en" / "doc1.txt").write_text("Acute appendicitis.\nAppendectomy was performed.\n")
    (split / "text_files_en" / "doc2.txt").write_text("Pain in left knee.\nNausea.\n")
    (split / "devD.tsv").write_text("doc1\tk35.80\ndoc2\tm25.562\ndoc2\tr11.0\ndoc2\ti10\n")
    (split / "devP.tsv").write_text("doc1\t0dtj\n")
    return split


def test_eval_codiesp_json(cli_env: Path, tmp_path: Path, capsys: Any) -> None:
    split = write_split(tmp_path)
    assert medbill("eval", "codiesp", str(split), "--track", "D", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["track"] == "D"
    assert data["model"] is False
    scores = {s["mode"]: s for s in data["scores"]}
    coded = scores["coded"]
    # doc1: k35.80 first → AP 1; doc2: m25.562 and r11.0 found, i10 not → AP 2/3
    assert coded["map"] == pytest.approx((1 + 2 / 3) / 2, abs=1e-4)
    assert coded["precision"] == 1.0
    assert coded["recall"] == 0.75
    assert coded["documents"] == 2


def test_coding_info_without_model(cli_env: Path, capsys: Any) -> None:
    assert medbill("coding", "info", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["installed"] is False
    assert data["model"].startswith(str(cli_env))


def test_web_adapter_reads_codes_and_mentions(cli_env: Path, kb: Any) -> None:
    """The app's service layer (`services.engines.code_note`) gets the coder's JSON shape."""
    from medbill.services.engines import code_note

    day = kb.release_for("icd10cm/tabular").effective.start
    data = code_note("Denies chest pain. Acute appendicitis.", setting="outpatient", on=day)
    assert [c["code"] for c in data["codes"]] == ["K35.80"]
    assert data["codes"][0]["evidence"] == [{"start": 19, "end": 37, "text": "Acute appendicitis"}]
    assert {m["status"] for m in data["mentions"]} >= {"negated", "present"}


def test_a_one_megabyte_note_completes(cli_env: Path, tmp_path: Path, capsys: Any) -> None:
    paragraph = "Patient with essential hypertension. Denies chest pain. Closed fracture of left patella.\n"
    note = tmp_path / "long.txt"
    note.write_text(paragraph * (1_000_000 // len(paragraph) + 1))
    assert note.stat().st_size >= 1_000_000
    assert medbill("code", str(note), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert {c["code"] for c in data["codes"]} == {"I10", "S82.002A"}
    assert len(data["mentions"]) > 20_000
