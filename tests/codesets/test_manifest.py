"""The shipped release manifest: every release medbill knows, with a publisher URL, dates and
checksums; the mirrored files match their checksums."""

import hashlib

import pytest

from medbill.codesets.manifest import load_manifest, parse_manifest
from medbill.codesets.sections import all_sections
from medbill.core.errors import DataError

PUBLISHERS = (
    "https://www.cms.gov/",
    "https://ftp.cdc.gov/",
    "https://www.nucc.org/",
    "https://raw.githubusercontent.com/HL7/",
)


def test_every_release_names_its_publisher_and_dates():
    manifest = load_manifest()
    assert len(manifest.releases) >= 20
    for release in manifest.releases:
        assert release.url.startswith(PUBLISHERS) or release.page.startswith("https://www.cms.gov/"), (
            release.id
        )
        assert release.files, release.id
        assert release.effective.end is None or release.effective.start <= release.effective.end
        for member in release.files:
            assert member.sha256 == "" or len(member.sha256) == 64


def test_the_manifest_covers_the_issue_list():
    ids = {r.id for r in load_manifest().releases}
    for wanted in (
        "icd10cm-tabular-2026-04", "icd10cm-index-2026-04", "icd10cm-neoplasm-2026-04", "icd10cm-drug-2026-04",
        "icd10cm-eindex-2026-04", "icd10pcs-tables-fy2026", "icd10pcs-codes-fy2025", "icd10pcs-index-fy2025",
        "hcpcs-2025-10", "pos-2025-04", "nucc-taxonomy-25.1", "mce-v43.1", "mpfs-rvu26c", "mpfs-rvu25d-localities",
        "mpfs-zip5-2025q4", "ncci-mue-practitioner-2026q2", "ncci-mue-outpatient-2026q2", "ncci-mue-dme-2026q2",
        "ncci-aoc-2026q2", "ncci-ptp-practitioner-2026q2", "ncci-ptp-outpatient-2026q2",
    ):  # fmt: skip
        assert wanted in ids


def test_each_release_is_loaded_by_at_most_one_builtin_section():
    sections = [
        s
        for s in all_sections()
        if s.name in ("icd10cm", "icd10cm_index", "icd10pcs", "hcpcs", "mce", "pos", "taxonomy")
    ]
    for release in load_manifest().releases:
        owners = [s.name for s in sections if s.wants_release(release)]
        assert len(owners) <= 1, (release.id, owners)


def test_bad_manifest_entries_are_named():
    with pytest.raises(DataError, match="missing field 'system'"):
        parse_manifest('[[release]]\nid = "a"\nfiles = []\n')
    with pytest.raises(DataError, match="must be a TOML date"):
        parse_manifest(
            '[[release]]\nid="a"\nsystem="s"\ncomponent="c"\nname="n"\npublisher="p"\n'
            'effective_from="2026-01-01"\nfiles=[]\n'
        )


@pytest.mark.realdata
def test_mirrored_files_match_the_manifest(mirror):
    for release in load_manifest().releases:
        if not release.mirrored or release.embedded:
            continue
        for member in release.files:
            path = mirror / release.mirror / member.name
            assert path.is_file(), path
            assert hashlib.sha256(path.read_bytes()).hexdigest() == member.sha256, path
