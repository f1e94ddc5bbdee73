"""The MPFS loaders read the official layouts: RVU (31/32 columns), GPCI, LOCCO, ANES, ZIP5."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from medbill.codesets.mpfs import read_rvu_file
from medbill.codesets.mpfs_geo import read_gpci_file, read_locality_file, read_zip5_file
from medbill.codesets.mpfs_section import Mpfs, mpfs_files
from medbill.core.errors import DataError

MPFS = Path(__file__).parent / "fixtures" / "mpfs"


def test_rvu_2026_layout_reads_release_and_indicators() -> None:
    release, records = read_rvu_file(MPFS / "PPRRVU2026_Jul_nonQPP.csv")
    assert (release.name, release.year, release.effective) == ("RVU26C", 2026, dt.date(2026, 7, 1))
    assert release.released == dt.date(2026, 6, 30)
    assert release.variant == "nonQP"
    surgery = next(r for r in records if r.hcpcs == "10001")
    assert (surgery.mult_proc, surgery.bilateral, surgery.assistant, surgery.co_surgeon, surgery.team) == (
        "2", "1", "2", "2", "2",
    )  # fmt: skip
    assert surgery.pe_nonfacility_na
    assert not surgery.pe_facility_na
    assert surgery.conversion_factor == Decimal("30.0000")
    endoscopy = next(r for r in records if r.hcpcs == "40001")
    assert endoscopy.endo_base == "40000"
    tc = next(r for r in records if r.hcpcs == "70001" and r.modifier == "TC")
    assert tc.opps_pe_nonfacility == Decimal("1.90")


def test_rvu_2025_layout_has_no_pricing_indicator_column() -> None:
    release, records = read_rvu_file(MPFS / "PPRRVU25_OCT.csv")
    assert release.name == "RVU25D"
    assert release.effective == dt.date(2025, 10, 1)
    row = next(r for r in records if r.hcpcs == "10001")
    # In the 31-column layout the ENDO BASE and CONV FACTOR columns sit one place to the left.
    assert row.conversion_factor == Decimal("32.0000")
    assert row.endo_base == ""


def test_rvu_loader_never_keeps_descriptors(mirror: Path) -> None:
    _, records = read_rvu_file(mirror / "mpfs" / "PPRRVU2026_Jul_nonQPP.csv")
    assert not hasattr(records[0], "description")
    assert len(records) == 19356


def test_not_an_rvu_file_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "PPRRVU2026_Jan.csv"
    bad.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(DataError, match="no 'HCPCS' heading row"):
        read_rvu_file(bad)


def test_gpci_locality_and_zip_files() -> None:
    release, gpcis = read_gpci_file(MPFS / "GPCI2025.csv")
    assert release.name == "GPCI2025"
    assert len(gpcis) == 3
    assert gpcis[1].name == "FIXTURE REST OF STATE"  # the footnote star is dropped
    assert (gpcis[1].work, gpcis[1].pe, gpcis[1].mp) == (Decimal("1.1"), Decimal("0.9"), Decimal("0.5"))
    _, localities = read_locality_file(MPFS / "25LOCCO.txt")
    assert [(x.mac, x.locality, x.state) for x in localities] == [
        ("09902", "01", "ZEDLAND"),
        ("09902", "02", "ZEDLAND"),
        ("09912", "00", ""),
    ]
    zrelease, zips = read_zip5_file(MPFS / "ZIP5_OCT2025.txt")
    assert zrelease.effective == dt.date(2025, 10, 1)
    assert [(z.zip5, z.mac, z.locality, z.plus_four) for z in zips][2] == ("00503", "09902", "01", True)


def test_real_geography_is_consistent(real_mpfs: Mpfs) -> None:
    """Every MAC/locality the ZIP5 file names has a 2025 GPCI row (the files come from one release)."""
    on = dt.date(2025, 11, 3)
    zip_hit = real_mpfs.zip5("90210", on)
    assert zip_hit is not None
    record, source = zip_hit
    assert (record.mac, record.locality) == ("01182", "18")
    assert source.name == "ZIP5 2025Q4"
    assert source.note == ""
    gpci = real_mpfs.gpci(record.mac, record.locality, on)
    assert gpci is not None
    assert gpci[0].pe == Decimal("1.194")
    days = real_mpfs.global_days("27447", dt.date(2026, 1, 15))
    assert days is not None
    assert days[0] == "090"
    assert days[1].release == "RVU26C"
    assert real_mpfs.global_days("99999", dt.date(2026, 1, 15)) is None
    assert real_mpfs.modifiers_of("71046", dt.date(2026, 1, 15)) == ("", "26", "TC")


def test_load_installed_counts_rows_per_release() -> None:
    """The knowledge-base build hands over installed releases; rows are counted per release id."""
    import sqlite3
    from types import SimpleNamespace

    from medbill.codesets.mpfs_section import create_tables, load_installed

    def installed(release_id: str, *names: str) -> SimpleNamespace:
        return SimpleNamespace(release=SimpleNamespace(id=release_id), paths={n: MPFS / n for n in names})

    conn = sqlite3.connect(":memory:")
    with conn:
        create_tables(conn)
        counts = load_installed(
            conn,
            [
                installed("rvu", "PPRRVU2026_Jul_nonQPP.csv"),
                installed("geo", "GPCI2025.csv", "25LOCCO.txt", "ANES2025.csv"),
                installed("zip", "ZIP5_OCT2025.txt"),
            ],
        )
    assert counts == {"rvu": 52, "geo": 3 + 3 + 3, "zip": 5}
    mpfs = Mpfs(conn)
    assert mpfs.rvu("90001", "", dt.date(2026, 3, 2)) is not None


def test_knowledge_base_section_equals_the_files(real_mpfs: Mpfs, mirror: Path) -> None:
    """`kb.mpfs` (built by `medbill data build`) answers what the official files say."""
    direct = Mpfs.from_files(mpfs_files(mirror / "mpfs"))
    on = dt.date(2026, 5, 4)
    for code, modifier in (("99213", ""), ("71046", "26"), ("45385", ""), ("G0008", "")):
        assert real_mpfs.rvu(code, modifier, on) == direct.rvu(code, modifier, on)
    assert real_mpfs.zip5("30303", on) == direct.zip5("30303", on)
    assert real_mpfs.gpci("10212", "01", on) == direct.gpci("10212", "01", on)
    assert real_mpfs.anesthesia_cf("10212", "01", on) == direct.anesthesia_cf("10212", "01", on)
