"""Scrubbers for the rule tests: the fixture reference data, and the real CMS files of the mirror."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from medbill.codesets.ncci_aoc import AocEdit, write_aoc
from medbill.codesets.ncci_files import tables_from_files
from medbill.codesets.ncci_tables import NcciTables
from medbill.rules import Reference, Scrubber
from medbill.rules.global_days import GlobalDaysTable
from medbill.rules.static import load_static_reference

FIXTURES = Path(__file__).parent / "fixtures"
NCCI_FIXTURES = FIXTURES / "ncci"


def write_fixture_aoc(folder: Path) -> Path:
    """The add-on code fixture rows written as an XLSX in the CMS layout."""
    rows = yaml.safe_load((NCCI_FIXTURES / "aoc_rows.yaml").read_text(encoding="utf-8"))
    path = folder / "AOC_V2026Q2-MCR.xlsx"
    write_aoc(path, [AocEdit(kind, addon, primary, start, end) for kind, addon, primary, start, end in rows])
    return path


def fixture_ncci(folder: Path) -> NcciTables:
    files = sorted(NCCI_FIXTURES.glob("cci*.txt")) + sorted(NCCI_FIXTURES.glob("MCR_MUE_*.csv"))
    return tables_from_files([*files, write_fixture_aoc(folder)])


def mirror_ncci(mirror: Path) -> NcciTables:
    """Real MUE and add-on tables from the mirror; PTP from the fixtures (CMS PTP files are not mirrored)."""
    ncci = mirror / "ncci"
    files = sorted(ncci.glob("MCR_MUE_*.csv")) + sorted(ncci.glob("AOC_*.xlsx"))
    return tables_from_files([*files, *sorted(NCCI_FIXTURES.glob("cci*.txt"))])


def fixture_reference(ncci: NcciTables) -> Reference:
    reference = load_static_reference(FIXTURES / "reference.yaml")
    reference.ncci = ncci
    return reference


@pytest.fixture(scope="session")
def ncci_fixture_tables(tmp_path_factory: pytest.TempPathFactory) -> NcciTables:
    return fixture_ncci(tmp_path_factory.mktemp("aoc"))


@pytest.fixture(scope="session")
def scrubber(ncci_fixture_tables: NcciTables) -> Scrubber:
    return Scrubber(fixture_reference(ncci_fixture_tables))


@pytest.fixture(scope="session")
def mirror_scrubber(mirror: Path) -> Scrubber:
    """Real MUE, add-on and MPFS global-day tables; the fixture code sets and PTP pairs."""
    reference = fixture_reference(mirror_ncci(mirror))
    reference.mpfs = GlobalDaysTable.from_rvu_files(sorted((mirror / "mpfs").glob("PPRRVU*.csv")))
    return Scrubber(reference)


@pytest.fixture(scope="session")
def kb_scrubber(kb: Any, mirror: Path) -> Scrubber:
    """The real knowledge base (code sets, MCE, NCCI MUE/AOC sections) with the fixture PTP pairs."""
    from medbill.rules.defaults import load_reference

    reference = load_reference(kb)
    if reference.icd10cm is None or reference.hcpcs is None:
        pytest.skip("the knowledge base lacks ICD-10-CM or HCPCS")
    ncci = reference.ncci or NcciTables()
    for table in mirror_ncci(mirror).ptp.get("practitioner", ()):
        ncci.add_ptp(table)
    reference.ncci = ncci
    return Scrubber(reference)


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 6, 30)
