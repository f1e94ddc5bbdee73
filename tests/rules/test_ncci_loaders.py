"""The NCCI loaders read the official CMS layouts; the knowledge-base section round-trips them."""

import datetime as dt
import pickle
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill.codesets import ncci_aoc, ncci_mue, ncci_ptp
from medbill.codesets.ncci_files import tables_from_files
from medbill.codesets.ncci_section import build_ncci, load_ncci
from medbill.codesets.ncci_tables import NcciTables, PtpTable
from medbill.core.errors import DataError
from medbill.core.findings import Source

from .conftest import NCCI_FIXTURES, write_fixture_aoc

APRIL = dt.date(2026, 4, 14)


def test_ptp_text_layout_is_read_with_dates_and_indicators() -> None:
    edits = list(ncci_ptp.read_ptp(NCCI_FIXTURES / "ccipra-v321r0-f1.txt"))
    assert len(edits) == 9
    first = edits[0]
    assert (first.column1, first.column2, first.modifier_indicator) == ("11042", "97597", 1)
    assert first.effective == dt.date(2011, 1, 1)
    assert first.deletion is None
    deleted = next(e for e in edits if e.column1 == "12001")
    assert deleted.deletion == dt.date(2025, 12, 31)
    assert next(e for e in edits if e.column1 == "93000").prior_1996


def test_ptp_release_comes_from_the_file_name() -> None:
    release = ncci_ptp.release_of("ccioph-v323r1-f2.TXT")
    assert release.setting == "outpatient_hospital"
    assert release.effective == dt.date(2026, 10, 1)
    assert release.label == "version 32.3r1 (2026 Q4)"
    with pytest.raises(DataError):
        ncci_ptp.release_of("mystery.txt")


def test_ptp_zip_is_read_like_the_text(tmp_path: Path) -> None:
    archive = tmp_path / "ccipra-v321r0-f1.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(NCCI_FIXTURES / "ccipra-v321r0-f1.txt", "ccipra-v321r0-f1.txt")
    assert list(ncci_ptp.read_ptp(archive)) == list(ncci_ptp.read_ptp(NCCI_FIXTURES / "ccipra-v321r0-f1.txt"))


def test_a_malformed_ptp_line_names_the_file_and_line() -> None:
    lines = [
        "Column 1\tColumn 2\t*\tEffective\tDeletion\tModifier\tRationale",
        "11042\t97597\t\t2011-01-01\t*\t1\tX",
    ]
    with pytest.raises(DataError, match=r"<t>:2: effective date"):
        list(ncci_ptp.parse_ptp_lines(lines, source="<t>"))


def test_a_file_without_the_ptp_heading_is_refused() -> None:
    with pytest.raises(DataError, match="heading"):
        list(ncci_ptp.parse_ptp_lines(["11042\t97597\t\t20110101\t*\t1\tX"]))


edit = st.builds(
    ncci_ptp.PtpEdit,
    column1=st.from_regex(r"[0-9]{4}[0-9TFU]", fullmatch=True),
    column2=st.from_regex(r"[A-Z0-9][0-9]{4}", fullmatch=True),
    effective=st.dates(dt.date(1996, 1, 1), dt.date(2026, 12, 31)),
    deletion=st.one_of(st.none(), st.dates(dt.date(1996, 1, 1), dt.date(2026, 12, 31))),
    modifier_indicator=st.sampled_from([0, 1, 9]),
    rationale=st.sampled_from(
        ["Mutually exclusive procedures", "Standards of medical / surgical practice", ""]
    ),
    prior_1996=st.booleans(),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(edit, max_size=20))
def test_ptp_write_then_read_round_trips(tmp_path_factory: pytest.TempPathFactory, edits: list) -> None:
    path = tmp_path_factory.mktemp("ptp") / "ccipra-v321r0-f1.txt"
    ncci_ptp.write_ptp(path, edits)
    assert list(ncci_ptp.read_ptp(path)) == edits


def test_ptp_table_finds_every_pair_in_force() -> None:
    edits = list(ncci_ptp.read_ptp(NCCI_FIXTURES / "ccipra-v321r0-f1.txt"))
    table = PtpTable.from_edits(
        edits, setting="practitioner", source=Source("t"), in_force_from=dt.date(2026, 4, 1)
    )
    for e in edits:
        on = e.effective
        in_force = e.deletion is None or on <= e.deletion
        hits = table.hits([e.column2, e.column1, "99999"], on)
        assert any(h.column1 == e.column1 and h.column2 == e.column2 for h in hits) == in_force
    assert table.hits(["11042"], APRIL) == []
    assert table.hits(["97597", "11042"], dt.date(2010, 12, 31)) == []


def test_mue_reads_the_three_settings_from_their_headings() -> None:
    settings_found = {ncci_mue.read_mue(p)[0] for p in NCCI_FIXTURES.glob("MCR_MUE_*.csv")}
    assert settings_found == {"practitioner", "outpatient_hospital", "dme"}
    _setting, edits = ncci_mue.read_mue(NCCI_FIXTURES / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv")
    a0425 = next(e for e in edits if e.code == "A0425")
    assert (a0425.value, a0425.mai) == (250, 1)


def test_mue_with_a_bad_indicator_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
    path.write_text(
        '"notice"\n"HCPCS/\nCPT Code",Practitioner Services MUE Values,MAI,R\n99213,2,7 Odd,X\n',
        encoding="cp1252",
    )
    with pytest.raises(DataError, match=":4: adjudication indicator"):
        ncci_mue.read_mue(path)


def test_aoc_xlsx_round_trips_with_julian_dates(tmp_path: Path) -> None:
    path = write_fixture_aoc(tmp_path)
    edits = list(ncci_aoc.read_aoc(path))
    assert len(edits) == 8
    deleted = next(e for e in edits if e.addon == "0079T")
    assert deleted.deletion == dt.date(2013, 12, 31)
    assert {e.edit_type for e in edits} == {1, 2, 3}


def test_section_round_trip_gives_the_same_tables(tmp_path: Path, ncci_fixture_tables: NcciTables) -> None:
    files = sorted(NCCI_FIXTURES.glob("cci*.txt")) + sorted(NCCI_FIXTURES.glob("MCR_MUE_*.csv"))
    files.append(write_fixture_aoc(tmp_path))
    conn = sqlite3.connect(tmp_path / "kb.sqlite")
    with conn:
        counts = build_ncci(conn, files)
    assert counts == {"ptp": 12, "mue": 35, "aoc": 8}
    loaded = load_ncci(conn)
    direct = tables_from_files(files)
    for setting in ("practitioner", "outpatient_hospital"):
        a, b = loaded.ptp[setting][0], direct.ptp[setting][0]
        assert a.source == b.source
        assert a.code_ids == b.code_ids
        assert (a.keys == b.keys).all()
        assert a.hits(["43239", "43235"], APRIL) == b.hits(["43239", "43235"], APRIL)
    assert loaded.mue["dme"][0].values == direct.mue["dme"][0].values
    assert loaded.aoc[0].rows == direct.aoc[0].rows


def test_tables_pickle_for_distributed_workers(ncci_fixture_tables: NcciTables) -> None:
    copy = pickle.loads(pickle.dumps(ncci_fixture_tables))
    table = copy.ptp_for("practitioner", APRIL)
    assert table is not None
    assert [h.column2 for h in table.hits(["93000", "93005"], APRIL)] == ["93005"]


def test_release_in_force_is_chosen_by_date(ncci_fixture_tables: NcciTables) -> None:
    assert ncci_fixture_tables.mue_for("practitioner", dt.date(2026, 3, 31)) is None
    assert ncci_fixture_tables.mue_for("practitioner", dt.date(2026, 4, 1)) is not None
    assert ncci_fixture_tables.ptp_for("practitioner", dt.date(2020, 1, 1)) is not None
    assert ncci_fixture_tables.ptp_for("dme", APRIL) is None


@pytest.mark.realdata
def test_real_mue_and_aoc_files_load_with_their_counts(mirror: Path) -> None:
    ncci = mirror / "ncci"
    counts = {}
    for path in sorted(ncci.glob("MCR_MUE_*.csv")):
        setting, edits = ncci_mue.read_mue(path)
        counts[setting] = len(edits)
        assert ncci_mue.release_of(path).effective == dt.date(2026, 4, 1)
    assert counts == {"dme": 3083, "outpatient_hospital": 15045, "practitioner": 15095}
    edits = list(ncci_aoc.read_aoc(ncci / "AOC_V2026Q2-MCR.xlsx"))
    assert len(edits) == 9000
    assert sum(1 for e in edits if e.edit_type == 2 and e.primary == ncci_aoc.CONTRACTOR_DEFINED) > 0


@pytest.mark.realdata
def test_global_days_come_from_the_real_rvu_file(mirror: Path) -> None:
    from medbill.rules.global_days import GlobalDaysTable

    table = GlobalDaysTable.from_rvu_files(sorted((mirror / "mpfs").glob("PPRRVU*.csv")))
    on = dt.date(2026, 8, 3)
    days = {code: table.global_days(code, on) for code in ("20610", "17110", "27447", "99213", "99292")}
    assert {code: found[0] for code, found in days.items() if found} == {
        "20610": "000",
        "17110": "010",
        "27447": "090",
        "99213": "XXX",
        "99292": "ZZZ",
    }
    source = days["20610"][1]  # type: ignore[index]
    assert "RVU26" in source.release
