"""Fixtures of the codesets tests: a tiny mirror written in the official formats, its manifest, and a
knowledge base built from it."""

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from medbill.codesets.build import build
from medbill.codesets.installed import installed_releases
from medbill.codesets.kb import KnowledgeBase, open_kb
from medbill.codesets.manifest import Manifest, parse_manifest
from medbill.codesets.sections import all_sections
from medbill.codesets.sync import sync

FIXTURES = Path(__file__).parent / "fixtures"

HCPCS_HEADER = (
    "HCPC", "SEQNUM", "RECID", "LONG DESCRIPTION", "SHORT DESCRIPTION", "PRICE1", "COV", "BETOS",
    "ADD DT", "ACT EFF DT", "TERM DT", "ACTION CD",
)  # fmt: skip
HCPCS_ROWS = (
    ("G0008", "0010", "3", "Administration of influenza virus vaccine", "Admin influenza virus vac", "", "C", "O1D", "20050101", "20050101", "", "N"),
    ("G0101", "0010", "3", "Cervical or vaginal cancer screening; pelvic and clinical breast examination", "Ca screen;pelvic/breast exam", "", "C", "", "19980101", "20020101", "", "N"),
    ("A4206", "0010", "3", "Syringe with needle, sterile, 1 cc or less, each", "1 cc sterile syringe&needle", "", "C", "D1A", "19840101", "19840101", "20250930", "D"),
    ("C9899", "0010", "3", "Implanted test device, per unit", "Test device", "", "C", "", "20251001", "20251001", "", "A"),
    ("   25", "0010", "7", "Significant, separately identifiable evaluation and management service by the same physician", "Significant, separate e/m", "", "C", "", "20000101", "20000101", "", "N"),
    ("   CP", "0010", "7", "Adjunctive service related to a procedure", "C-apc adjunctive service", "", "C", "", "20160101", "20180101", "20171231", "N"),
)  # fmt: skip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_hcpcs_xlsx(path: Path, rows: tuple[tuple[str, ...], ...] = HCPCS_ROWS) -> None:
    """An HCPCS alpha-numeric XLSX in CMS's layout (header row, one row per code)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "HCPC2099_JAN_ANWEB"
    sheet.append(HCPCS_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


#: (release id, system, component, mirror folder, file, effective from, effective to)
RELEASES = (
    ("icd10cm-tabular-test", "icd10cm", "tabular", "icd10cm", "icd10cm-tabular-mini.xml", "2099-04-01", "2099-09-30"),
    ("hcpcs-test", "hcpcs", "alpha-numeric", "hcpcs", "HCPC2099_JAN_ANWEB.xlsx", "2025-07-01", None),
    ("icd10cm-index-test", "icd10cm", "index", "icd10cm", "icd10cm-index-mini.xml", "2099-04-01", "2099-09-30"),
    ("icd10cm-neoplasm-test", "icd10cm", "neoplasm", "icd10cm", "icd10cm-neoplasm-mini.xml", "2099-04-01", "2099-09-30"),
    ("icd10pcs-tables-test", "icd10pcs", "tables", "mce", "icd10pcs-tables-mini.xml", "2098-10-01", "2099-09-30"),
    ("mce-test", "mce", "edits", "mce", "mce-definitions-mini.txt", "2099-04-01", "2099-09-30"),
    ("pos-test", "pos", "codes", "x12-codes", "pos-mini.xml", "2024-01-01", None),
    ("taxonomy-test", "taxonomy", "nucc", "x12-codes", "nucc-taxonomy-mini.csv", "2025-07-01", None),
)  # fmt: skip


def manifest_text(mirror: Path) -> str:
    """A manifest naming the fixture releases, with the checksums of the files in `mirror`."""
    parts = []
    for rid, system, component, folder, name, start, end in RELEASES:
        parts.append(
            f'''[[release]]
id = "{rid}"
system = "{system}"
component = "{component}"
name = "{rid} (test fixture)"
publisher = "medbill tests"
url = "https://example.invalid/{name}"
effective_from = {start}
{f"effective_to = {end}" if end else ""}
mirror = "{folder}"
files = [{{ name = "{name}", sha256 = "{sha256(mirror / folder / name)}" }}]
'''
        )
    return "\n".join(parts)


@dataclass
class MiniData:
    mirror: Path
    manifest: Manifest
    home: Path

    @property
    def releases_dir(self) -> Path:
        return self.home / "releases"

    @property
    def kb_path(self) -> Path:
        return self.home / "kb.sqlite"

    def sync(self) -> None:
        outcomes = sync(self.manifest, self.releases_dir, mirror=self.mirror)
        assert all(o.status in ("installed", "unchanged") for o in outcomes), outcomes

    def build(self) -> Path:
        installed = list(installed_releases(self.manifest, self.releases_dir, self.home / "user"))
        build(self.kb_path, all_sections(), installed)
        return self.kb_path


@pytest.fixture
def mini(tmp_path: Path) -> MiniData:
    """A mirror folder with the fixture releases, a manifest naming them, and an empty home."""
    mirror = tmp_path / "mirror"
    for _, _, _, folder, name, _, _ in RELEASES:
        (mirror / folder).mkdir(parents=True, exist_ok=True)
        if name.endswith(".xlsx"):
            write_hcpcs_xlsx(mirror / folder / name)
        else:
            shutil.copy(FIXTURES / name, mirror / folder / name)
    text = manifest_text(mirror)
    home = tmp_path / "home"
    home.mkdir()
    return MiniData(mirror=mirror, manifest=parse_manifest(text), home=home)


@pytest.fixture
def mini_kb(mini: MiniData) -> KnowledgeBase:
    mini.sync()
    kb = open_kb(mini.build())
    yield kb
    kb.close()
