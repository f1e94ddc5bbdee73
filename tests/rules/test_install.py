"""`medbill rules add-ncci`: downloaded CMS files become knowledge-base releases the ncci section loads."""

import json
import sqlite3
from pathlib import Path

import pytest

from medbill.cli.main import run
from medbill.codesets.installed import installed_releases
from medbill.codesets.manifest import load_manifest
from medbill.codesets.ncci_section import SCHEMA, load_ncci
from medbill.codesets.sections import BuildContext
from medbill.rules.ncci.kb_section import SECTION
from medbill.settings import get_settings

from .conftest import NCCI_FIXTURES


def test_add_ncci_installs_user_releases_the_section_loads(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(p) for p in sorted(NCCI_FIXTURES.glob("ccipra-*.txt"))]
    with pytest.raises(SystemExit) as done:
        run(["rules", "add-ncci", *files, "--json"])
    assert done.value.code == 0
    installed = json.loads(capsys.readouterr().out)
    assert [(i["id"], i["rows"]) for i in installed] == [("user-ncci-ptp-practitioner-v321r0", 10)]

    settings = get_settings()
    found = [r for r in installed_releases(load_manifest(), settings.releases_dir, settings.home / "user")]
    ncci = [r for r in found if r.release.system == "ncci"]
    assert [r.release.component for r in ncci] == ["ptp-practitioner"]
    assert SECTION.wants(ncci[0])

    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    counts = SECTION.load(BuildContext(conn, lambda _: None), ncci)
    assert counts == {"user-ncci-ptp-practitioner-v321r0": 10}
    table = load_ncci(conn).ptp["practitioner"][0]
    assert table.source.release == "version 32.1r0 (2026 Q2)"


def test_a_malformed_file_is_refused_with_its_line(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "ccipra-v321r0-f1.txt"
    text = (NCCI_FIXTURES / "ccipra-v321r0-f1.txt").read_text(encoding="cp1252")
    bad.write_text(text.replace("20110101", "2011-01-01"), encoding="cp1252")
    with pytest.raises(SystemExit) as done:
        run(["rules", "add-ncci", str(bad)])
    assert done.value.code == 2
    assert "ccipra-v321r0-f1.txt:7: effective date" in capsys.readouterr().err.replace("\n", "")
    assert not (home / "user").exists() or not any((home / "user").iterdir())


def test_files_that_are_not_ncci_are_an_input_error(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        run(["rules", "add-ncci", str(other)])
    assert done.value.code == 2
    assert "not CMS NCCI file names" in capsys.readouterr().err
