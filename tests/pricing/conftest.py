"""Pricing fixtures: the MPFS section built from our synthetic fixture files, and from the real mirror."""

from pathlib import Path
from typing import Any

import pytest

from medbill.codesets.mpfs_section import Mpfs, mpfs_files

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixture_mpfs() -> Mpfs:
    """The MPFS section from tests/pricing/fixtures/mpfs (CF 30.0000; localities 09902-01/02, 09912-00)."""
    return Mpfs.from_files(mpfs_files(FIXTURES / "mpfs"))


@pytest.fixture(scope="session")
def real_mpfs(mirror: Path, kb: Any) -> Mpfs:
    """The MPFS section of the real knowledge base (RVU26C, GPCI2025, ZIP5 2025Q4 from the mirror)."""
    section = kb.mpfs
    assert isinstance(section, Mpfs)
    if not section.releases("rvu"):
        pytest.fail("the knowledge base has no MPFS releases although the mirror is present")
    return section
