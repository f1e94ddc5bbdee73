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


MANIFEST = """
[[release]]
id = "icd10cm-tabular-test"
system = "icd10cm"
component = "tabular"
name = "ICD-10-CM Tabular (test fixture)"
publisher = "medbill tests"
url = "https://example.invalid/tabular.zip"
effective_from = 2099-04-01
effective_to = 2099-09-30
mirror = "icd10cm"
files = [{{ name = "icd10cm-tabular-mini.xml", sha256 = "{tabular}" }}]

[[release]]
id = "hcpcs-test"
system = "hcpcs"
component = "alpha-numeric"
name = "HCPCS (test fixture)"
publisher = "medbill tests"
url = "https://example.invalid/hcpcs.zip"
effective_from = 2025-07-01
mirror = "hcpcs"
files = [{{ name = "HCPC2099_JAN_ANWEB.xlsx", sha256 = "{hcpcs}" }}]

[[release]]
id = "icd10cm-index-test"
system = "icd10cm"
component = "index"
name = "ICD-10-CM Index (test fixture)"
publisher = "medbill tests"
url = "https://example.invalid/index.zip"
effective_from = 2099-04-01
effective_to = 2099-09-30
mirror = "icd10cm"
files = [{{ name = "icd10cm-index-mini.xml", sha256 = "{index}" }}]

[[release]]
id = "icd10cm-neoplasm-test"
system = "icd10cm"
component = "neoplasm"
name = "ICD-10-CM Neoplasm table (test fixture)"
publisher = "medbill tests"
url = "https://example.invalid/index.zip"
effective_from = 2099-04-01
effective_to = 2099-09-30
mirror = "icd10cm"
files = [{{ name = "icd10cm-neoplasm-mini.xml", sha256 = "{neoplasm}" }}]

[[release]]
id = "icd10pcs-tables-test"
system = "icd10pcs"
component = "tables"
name = "ICD-10-PCS tables (test fixture)"
publisher = "medbill tests"
url = "https://example.invalid/pcs.zip"
effective_from = 2098-10-01
effective_to = 2099-09-30
mirror = "mce"
files = [{{ name = "icd10pcs-tables-mini.xml", sha256 = "{pcs}" }}]
"""


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
    (mirror / "icd10cm").mkdir(parents=True)
    (mirror / "hcpcs").mkdir()
    (mirror / "mce").mkdir()
    for name in ("icd10cm-tabular-mini.xml", "icd10cm-index-mini.xml", "icd10cm-neoplasm-mini.xml"):
        shutil.copy(FIXTURES / name, mirror / "icd10cm")
    shutil.copy(FIXTURES / "icd10pcs-tables-mini.xml", mirror / "mce")
    write_hcpcs_xlsx(mirror / "hcpcs" / "HCPC2099_JAN_ANWEB.xlsx")
    text = MANIFEST.format(
        tabular=sha256(mirror / "icd10cm" / "icd10cm-tabular-mini.xml"),
        hcpcs=sha256(mirror / "hcpcs" / "HCPC2099_JAN_ANWEB.xlsx"),
        index=sha256(mirror / "icd10cm" / "icd10cm-index-mini.xml"),
        neoplasm=sha256(mirror / "icd10cm" / "icd10cm-neoplasm-mini.xml"),
        pcs=sha256(mirror / "mce" / "icd10pcs-tables-mini.xml"),
    )
    home = tmp_path / "home"
    home.mkdir()
    return MiniData(mirror=mirror, manifest=parse_manifest(text), home=home)


@pytest.fixture
def mini_kb(mini: MiniData) -> KnowledgeBase:
    mini.sync()
    kb = open_kb(mini.build())
    yield kb
    kb.close()
