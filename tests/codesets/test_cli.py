"""The `medbill data` and `medbill codes` commands: JSON shapes and exit statuses."""

import json

import pytest

from medbill.cli.main import run


def medbill(*argv: str) -> int:
    with pytest.raises(SystemExit) as done:
        run(list(argv))
    return int(done.value.code or 0)


@pytest.fixture
def mini_env(mini, monkeypatch):
    mini.sync()
    path = mini.build()
    monkeypatch.setenv("MEDBILL_KB", str(path))
    monkeypatch.setenv("MEDBILL_HOME", str(mini.home))
    return path


def test_show_json_shape(mini_env, capsys):
    assert medbill("codes", "show", "E1165", "--on", "2099-05-01", "--json") == 0
    record = json.loads(capsys.readouterr().out)
    for key in ("code", "system", "description", "billable", "valid_from", "valid_to", "notes"):
        assert key in record
    assert record["code"] == "E11.65"
    assert record["system"] == "icd10cm"
    assert record["valid_from"] == "2099-04-01"


def test_validate_exit_status_and_json(mini_env, capsys):
    assert medbill("codes", "validate", "E11.65", "I10", "--on", "2099-05-01") == 0
    capsys.readouterr()
    assert medbill("codes", "validate", "E11", "E11.69", "--on", "2099-05-01", "--json") == 1
    results = json.loads(capsys.readouterr().out)
    assert [set(r) >= {"code", "valid", "billable", "reason", "suggestions"} for r in results] == [True, True]
    header, unknown = results
    assert header["valid"] is True
    assert header["billable"] is False
    assert header["suggestions"] == ["E11.65", "E11.9"]
    assert unknown["valid"] is False
    assert "E11.65" in unknown["suggestions"]


def test_search_json_shape(mini_env, capsys):
    assert medbill("codes", "search", "lung malignant primary", "--json", "--on", "2099-05-01") == 0
    hits = json.loads(capsys.readouterr().out)
    assert set(hits[0]) >= {"code", "system", "description", "score", "matched"}
    assert hits[0]["matched"] == "Neoplasm, neoplastic → lung → Malignant Primary"


def test_index_walk(mini_env, capsys):
    assert medbill("codes", "index", "Neoplasm, lung", "--table", "neoplasm", "--json") == 0
    [node] = json.loads(capsys.readouterr().out)
    assert node["cells"]["Malignant Primary"] == "C34.9-"
    assert node["children"][0]["title"] == "lower lobe"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("codes", "show", "E11.65", "--on", "2099-02-30"), "not a valid date"),
        (
            ("codes", "show", "E11.65", "--on", "2019-01-01"),
            "no ICD-10-CM Tabular release in force on 2019-01-01",
        ),
        (("codes", "show", "E11.69", "--on", "2099-05-01"), "unknown"),
        (("codes", "show", "!!!"), "malformed"),
        (("codes", "index", "lung", "--table", "bogus"), "--table"),
    ],
)
def test_bad_input_is_a_clear_message_and_status_2(mini_env, capsys, argv, message):
    assert medbill(*argv) == 2
    assert message in capsys.readouterr().err.replace("\n", " ")


def test_missing_base(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MEDBILL_KB", str(tmp_path / "none.sqlite"))
    assert medbill("codes", "show", "E11.65") == 2
    assert "medbill data build" in capsys.readouterr().err


def test_sync_names_the_corrupt_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MEDBILL_HOME", str(tmp_path / "home"))
    (tmp_path / "mirror" / "hcpcs").mkdir(parents=True)
    (tmp_path / "mirror" / "hcpcs" / "HCPC2025_OCT_ANWEB.xlsx").write_bytes(b"truncated")
    assert medbill("data", "sync", "--mirror", str(tmp_path / "mirror"), "--only", "hcpcs") == 2
    err = "".join(capsys.readouterr().err.split())
    assert "HCPC2025_OCT_ANWEB.xlsx" in err
    assert "corrupt" in err
    assert not (tmp_path / "home" / "releases" / "hcpcs-2025-10").exists()


def test_status_json(mini_env, capsys):
    assert medbill("data", "status", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"kb", "releases", "missing"}
    assert "icd10cm-tabular-2026-04" not in report["missing"]  # embedded


def test_build_with_a_truncated_release_file_fails_and_keeps_the_old_base(tmp_path, monkeypatch, capsys):
    from medbill.codesets.installed import write_marker
    from medbill.codesets.manifest import load_manifest

    home = tmp_path / "home"
    release = load_manifest().get("hcpcs-2025-10")
    folder = home / "releases" / release.id
    folder.mkdir(parents=True)
    (folder / release.files[0].name).write_bytes(b"PK\x03\x04 truncated")
    write_marker(
        folder,
        {"id": release.id, "source": "test", "files": {release.files[0].name: release.files[0].sha256}},
    )
    (home / "kb.sqlite").write_bytes(b"previous base")
    monkeypatch.setenv("MEDBILL_HOME", str(home))
    monkeypatch.delenv("MEDBILL_KB", raising=False)
    assert medbill("data", "build") == 2
    err = "".join(capsys.readouterr().err.split())
    assert "HCPC2025_OCT_ANWEB.xlsx" in err
    assert "corrupt" in err
    assert (home / "kb.sqlite").read_bytes() == b"previous base"
