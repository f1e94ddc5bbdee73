"""Sync and build: checksums, nothing half-copied, atomic builds, stale bases."""

import sqlite3

import pytest

from medbill.codesets import open_kb
from medbill.codesets.build import build
from medbill.codesets.installed import installed_releases
from medbill.codesets.sections import Section, all_sections
from medbill.codesets.sync import sync
from medbill.core.errors import DataError


def test_sync_installs_each_release_with_its_checksums(mini):
    outcomes = sync(mini.manifest, mini.releases_dir, mirror=mini.mirror)
    assert {o.status for o in outcomes} == {"installed"}
    assert [o.release_id for o in outcomes][:2] == ["icd10cm-tabular-test", "hcpcs-test"]
    again = sync(mini.manifest, mini.releases_dir, mirror=mini.mirror)
    assert {o.status for o in again} == {"unchanged"}


def test_corrupt_mirror_file_is_named_and_not_installed(mini):
    path = mini.mirror / "icd10cm" / "icd10cm-tabular-mini.xml"
    path.write_bytes(path.read_bytes()[:-200])  # truncated
    outcomes = {o.release_id: o for o in sync(mini.manifest, mini.releases_dir, mirror=mini.mirror)}
    failed = outcomes["icd10cm-tabular-test"]
    assert failed.status == "failed"
    assert "icd10cm-tabular-mini.xml" in failed.detail
    assert "corrupt" in failed.detail
    assert not (mini.releases_dir / "icd10cm-tabular-test").exists()
    assert outcomes["hcpcs-test"].status == "installed"
    assert not [p for p in mini.releases_dir.iterdir() if p.name.startswith(".sync-")]


def test_missing_mirror_file_is_named(mini):
    (mini.mirror / "hcpcs" / "HCPC2099_JAN_ANWEB.xlsx").unlink()
    outcomes = {o.release_id: o for o in sync(mini.manifest, mini.releases_dir, mirror=mini.mirror)}
    assert outcomes["hcpcs-test"].status == "failed"
    assert "HCPC2099_JAN_ANWEB.xlsx is missing" in outcomes["hcpcs-test"].detail


def test_file_corrupted_after_sync_fails_the_build(mini):
    mini.sync()
    installed = mini.releases_dir / "hcpcs-test" / "HCPC2099_JAN_ANWEB.xlsx"
    installed.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataError, match=r"HCPC2099_JAN_ANWEB\.xlsx"):
        mini.build()


def _failing_section(message: str) -> Section:
    def load(ctx, releases):
        raise DataError(message)

    return Section(name="boom", version=1, schema="CREATE TABLE boom_x (a);", loads=("hcpcs",), load=load)


def test_failed_build_leaves_the_previous_base_untouched(mini):
    mini.sync()
    path = mini.build()
    before = path.read_bytes()
    installed = list(installed_releases(mini.manifest, mini.releases_dir, mini.home / "user"))
    with pytest.raises(DataError, match="cannot read"):
        build(path, (*all_sections(), _failing_section("cannot read the file")), installed)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".kb-build-")] == []
    with open_kb(path) as kb:
        assert kb.icd10cm.get("E11.65") is not None


def test_stale_base_is_detected(mini):
    mini.sync()
    path = mini.build()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value='0000' WHERE key='format'")
    conn.commit()
    conn.close()
    with pytest.raises(DataError, match="run `medbill data build`"):
        open_kb(path)


def test_missing_base_says_how_to_build(tmp_path):
    with pytest.raises(DataError, match="not built yet"):
        open_kb(tmp_path / "nothing.sqlite")


def test_garbage_file_is_not_a_base(tmp_path):
    path = tmp_path / "kb.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DataError, match="not a readable knowledge base"):
        open_kb(path)


def test_a_knowledge_base_pickles_as_its_path(mini_kb):
    import pickle

    copy = pickle.loads(pickle.dumps(mini_kb))
    assert copy.path == mini_kb.path
    assert copy.icd10cm.get("E11.65") == mini_kb.icd10cm.get("E11.65")
    copy.close()
