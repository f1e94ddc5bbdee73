"""MCE edit lists, Place of Service, NUCC taxonomy and the user-supplied CPT file (fixtures in the
official formats), plus the real MCE v43.1 lists when the mirror is present."""

from datetime import date
from pathlib import Path

import pytest

from medbill.codesets import open_kb
from medbill.codesets.cpt.install import add_cpt
from medbill.codesets.mce.definitions import parse_mce
from medbill.core.errors import InputError
from medbill.settings import Settings

ON = date(2099, 5, 1)
FIXTURES = Path(__file__).parent / "fixtures"


def test_mce_lists_are_keyed_by_edit_and_sub_list(mini_kb):
    keys = {m.key: m for m in mini_kb.mce.lists(on=ON)}
    assert set(keys) == {"4A", "4B", "6", "8B1", "8B3", "9", "11D-px", "11D-dx", "20"}
    assert (keys["4B"].age_low, keys["4B"].age_high) == (0, 17)
    assert keys["8B1"].code_type == "px"
    assert keys["8B3"].code_type == "dx"
    assert keys["9"].inpatient_only
    assert not keys["6"].inpatient_only


def test_mce_questions(mini_kb):
    assert mini_kb.mce.age_range("P07.00", on=ON).allows(0)
    assert not mini_kb.mce.age_range("Z00.00", on=ON).allows(40)
    assert mini_kb.mce.is_manifestation("G63", on=ON)
    assert mini_kb.mce.unacceptable_principal("Z51.89", on=ON)
    assert not mini_kb.mce.unacceptable_principal("F07.81", on=ON)  # only in the "removed" changes
    assert ("20", "Died") in mini_kb.mce.discharge_statuses(on=ON)
    assert "deactivated" in mini_kb.mce.sex_edit


def test_mce_text_is_read_as_windows_1252(tmp_path):
    parsed = parse_mce(FIXTURES / "mce-definitions-mini.txt")
    assert parsed.version == "v99.1 April 2099"
    assert parsed.edits[5] == "Sex conflict (deactivated as of 10/01/2024)"
    broken = tmp_path / "mce.txt"
    broken.write_text("not the manual\n")
    with pytest.raises(Exception, match="list of edits"):
        parse_mce(broken)


def test_place_of_service(mini_kb):
    assert mini_kb.pos.get("11").name == "Office"
    assert mini_kb.pos.validate("66", on=date(2024, 7, 1)).reason == "not yet in effect: effective 2024-08-01"
    assert mini_kb.pos.validate("66", on=date(2024, 8, 1)).valid
    assert not mini_kb.pos.validate("99").valid
    assert mini_kb.pos.validate("1X").reason.startswith("malformed")


def test_taxonomy(mini_kb):
    family = mini_kb.taxonomy.get("207Q00000X")
    assert family.classification == "Family Medicine"
    assert family.section == "Individual"
    assert family.valid_from == date(2003, 7, 1)
    assert not mini_kb.taxonomy.validate("207Q0000").valid


def test_cpt_by_format_only_without_a_file(mini_kb):
    result = mini_kb.cpt.validate("99213")
    assert result.valid
    assert result.format_only
    assert "format only" in result.reason
    assert not mini_kb.cpt.validate("9921").valid


def test_user_cpt_file(mini, tmp_path):
    cpt = tmp_path / "my-cpt.csv"
    # synthetic descriptors written for this test (not AMA text)
    cpt.write_text("CPT Code,Long Descriptor\n99213,Test office visit level three\n0001U,Test lab panel\n")
    settings = Settings(home=mini.home, database_url="", data_mirror=None, kb_path=mini.kb_path)
    added = add_cpt(settings, cpt, name="CPT test 2099", effective_from=date(2099, 1, 1))
    assert added["rows"] == 2
    mini.sync()
    with open_kb(mini.build()) as kb:
        assert kb.cpt.get("99213", on=ON).description == "Test office visit level three"
        unknown = kb.cpt.validate("99214", on=ON)
        assert not unknown.valid
        assert not unknown.format_only
        assert kb.cpt.search("office visit", on=ON)[0].code == "99213"


def test_user_cpt_file_with_bad_rows_is_refused(mini, tmp_path):
    cpt = tmp_path / "bad.csv"
    cpt.write_text("code,descriptor\n99213,ok\nABCDE,not a code\n")
    settings = Settings(home=mini.home, database_url="", data_mirror=None, kb_path=mini.kb_path)
    with pytest.raises(InputError, match="not CPT codes") as caught:
        add_cpt(settings, cpt, name="bad", effective_from=date(2099, 1, 1))
    assert "row 3" in str(caught.value)
    assert not (mini.home / "user" / "cpt-bad").exists()


@pytest.mark.realdata
def test_real_mce_lists(kb, mirror):
    counts = {m.key: len(kb.mce.codes(m.key)) for m in kb.mce.lists()}
    assert counts["4A"] == 42
    assert counts["4C"] == 2543
    assert counts["6"] == 422
    assert counts["20"] == 3465
    assert kb.mce.is_manifestation("G63")
    assert kb.mce.age_range("O80").title.startswith("Maternity")
