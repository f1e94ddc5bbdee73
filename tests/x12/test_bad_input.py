"""Bad input: wrong counts and control numbers, missing trailers, 4010, unknown segments, garbage bytes.

Every problem is a finding that names the segment position; nothing raises, and the CLI exits 2
only for files that are not X12 at all.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbill.cli.main import run
from medbill.core.errors import InputError
from medbill.x12.parse import parse_x12
from medbill.x12.read835 import read_835
from medbill.x12.write837 import write_837

from .conftest import NOW, load_claim

GOOD_835 = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *260401*0930*^*00501*000000007*0*P*:~"
    "GS*HP*PAYER*CLINIC*20260401*0930*7*X*005010X221A1~"
    "ST*835*0001~"
    "BPR*I*80*C*CHK************20260401~"
    "TRN*1*CHK100200*1999999999~"
    "N1*PR*HARBOR MUTUAL HEALTH~N3*PO BOX 4400~N4*SPRINGFIELD*IL*627014400~PER*BL*EDI*TE*8005550100~"
    "N1*PE*MAPLE STREET FAMILY MEDICINE*XX*1234567893~"
    "LX*1~"
    "CLP*PCN1*1*100*80*20*CI*HMH1~NM1*QC*1*LINDQVIST*AVERY~NM1*IL*1*LINDQVIST*AVERY****MI*HMH0001~"
    "SVC*HC:99213*100*80**1~DTM*472*20260302~CAS*PR*2*20~"
    "SE*16*0001~GE*1*7~IEA*1*000000007~"
)


def rules(findings):
    return {f.rule for f in findings}


def test_a_correct_file_has_no_findings():
    remittances, findings = read_835(GOOD_835)
    assert findings == []
    assert remittances[0].claims[0].paid == 80


@pytest.mark.parametrize(
    ("change", "rule", "where"),
    [
        (("SE*16*0001", "SE*15*0001"), "x12.envelope.se_count", "segment 18 (SE)"),
        (("SE*16*0001", "SE*16*0002"), "x12.envelope.se_control", "segment 18 (SE)"),
        (("GE*1*7", "GE*2*7"), "x12.envelope.ge_count", "segment 19 (GE)"),
        (("GE*1*7", "GE*1*8"), "x12.envelope.ge_control", "segment 19 (GE)"),
        (("IEA*1*000000007", "IEA*1*000000009"), "x12.envelope.iea_control", "segment 20 (IEA)"),
        (("IEA*1*000000007~", ""), "x12.envelope.missing_iea", "ISA at segment 1"),
        (("SE*16*0001~", ""), "x12.envelope.missing_se", "segment 18 (GE)"),
        (("LX*1~", "LX*1~ZZZ*1~"), "x12.structure.unexpected", "segment 12 (ZZZ)"),
        (("CLP*PCN1*1*100*80*20", "CLP*PCN1*1*100*85*20"), "x12.835.balance.claim", "segment 12 (CLP)"),
        (("BPR*I*80*", "BPR*I*81*"), "x12.835.balance.payment", "segment 4 (BPR)"),
        (("N1*PE*", "N9*PE*"), "x12.structure.unexpected", "unknown segment N9"),
    ],
)
def test_each_problem_is_a_clear_finding_at_its_segment(change, rule, where):
    old, new = change
    text = GOOD_835.replace(old, new)
    _, findings = read_835(text)
    matching = [f for f in findings if f.rule == rule]
    assert matching, f"expected {rule} in {[f.rule + ': ' + f.message for f in findings]}"
    assert any(where in f.message for f in matching)


def test_a_4010_interchange_is_reported_as_the_wrong_version():
    text = GOOD_835.replace("*^*00501*", "*U*00401*").replace("005010X221A1", "004010X091A1")
    _, findings = read_835(text)
    versions = [f for f in findings if f.rule == "x12.envelope.version"]
    assert len(versions) == 2
    assert "4010" in versions[0].message
    assert "ISA12" in versions[0].message
    assert "GS08" in versions[1].message


def test_an_835_claim_without_its_lx_header_is_still_read():
    remittances, findings = read_835(GOOD_835.replace("LX*1~", "").replace("SE*16*0001", "SE*15*0001"))
    assert [f.rule for f in findings] == ["x12.structure.missing"]
    assert "LX" in findings[0].message
    assert remittances[0].claims[0].claim_id == "PCN1"


def test_an_unknown_segment_names_itself_and_the_guide():
    _, findings = read_835(GOOD_835.replace("LX*1~", "LX*1~XYZ*9~"))
    (finding,) = [f for f in findings if f.rule == "x12.structure.unexpected"]
    assert "unknown segment XYZ" in finding.message
    assert "005010X221A1" in finding.message


def test_a_missing_required_segment_is_reported_with_its_loop():
    _, findings = read_835(GOOD_835.replace("PER*BL*EDI*TE*8005550100~", ""))
    (finding,) = [f for f in findings if f.rule == "x12.structure.missing"]
    assert "PER*BL" in finding.message
    assert "1000A" in finding.message


def test_segments_out_of_guide_order_are_read_with_a_finding():
    text = GOOD_835.replace("DTM*472*20260302~CAS*PR*2*20~", "CAS*PR*2*20~DTM*472*20260302~")
    remittances, findings = read_835(text)
    assert rules(findings) == {"x12.structure.order"}
    line = remittances[0].claims[0].lines[0]
    assert line.adjustments[0].amount == 20
    assert str(line.service_date) == "2026-03-02"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_reader(data):
    result = parse_x12(data)
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"ISA"):
        assert result.fatal
    for finding in result.findings:
        assert re.search(r"segment \d+", finding.message), finding.message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=400), st.integers(min_value=107, max_value=len(GOOD_835)))
def test_garbage_after_a_good_isa_never_crashes_and_is_located(noise, cut):
    data = GOOD_835.encode()[:cut] + noise
    result = parse_x12(data)
    assert not result.fatal
    assert result.findings, "damaged interchanges always produce findings"
    located = [f for f in result.findings if f.rule != "x12.findings.truncated"]
    assert all(re.search(r"segment \d+", f.message) for f in located), [f.message for f in located]


@settings(max_examples=120, deadline=None)
@given(st.integers(min_value=0, max_value=len(GOOD_835) - 2))
def test_every_truncation_is_reported(cut):
    result = parse_x12(GOOD_835[:cut])
    assert result.findings
    assert all(re.search(r"segment \d+", f.message) for f in result.findings)
    if len(GOOD_835.split("~")[0]) + 1 < cut < GOOD_835.rindex("IEA"):
        assert any(f.rule == "x12.envelope.missing_iea" for f in result.findings)


def cli(args, capsys):
    """Run `medbill ARGS` as the console script does; return (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as exited:
        run(args)
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


def test_cli_exits_2_for_unreadable_or_non_x12_files(tmp_path, capsys):
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(b"\x00\x01 definitely not X12")
    status, _, err = cli(["edi", "parse", str(garbage)], capsys)
    assert status == 2
    assert "not an X12 interchange" in err
    assert cli(["edi", "parse", str(tmp_path / "missing.835")], capsys)[0] == 2
    empty = tmp_path / "empty.835"
    empty.write_bytes(b"")
    assert cli(["edi", "parse", str(empty)], capsys)[0] == 2


def test_cli_exits_1_on_reject_findings_and_0_on_a_clean_file(tmp_path, capsys):
    good, bad = tmp_path / "good.835", tmp_path / "bad.835"
    good.write_text(GOOD_835)
    bad.write_text(GOOD_835.replace("SE*16*0001", "SE*99*0001"))
    assert cli(["edi", "parse", str(good)], capsys)[0] == 0
    status, out, _ = cli(["edi", "parse", str(bad), "--json"], capsys)
    assert status == 1
    assert '"x12.envelope.se_count"' in out


def test_write_837_cli_writes_nothing_when_a_claim_cannot_be_written(tmp_path, config, capsys):
    claim = load_claim("professional_replacement").replace(payer_claim_number=None)
    claim_file = tmp_path / "claim.json"
    claim_file.write_text(claim.model_dump_json())
    config_file = tmp_path / "x12.json"
    config_file.write_text(config.model_dump_json())
    out = tmp_path / "out.837"
    status, _, err = cli(
        ["edi", "write-837", str(claim_file), "-o", str(out), "--config", str(config_file)], capsys
    )
    assert status == 2
    assert "payer_claim_number" in err
    assert set(tmp_path.iterdir()) == {claim_file, config_file}, "no output and no temporary file is left"


def test_write_837_raises_with_every_problem(config, store):
    claim = load_claim("professional_office_visit")
    bad = claim.replace(diagnoses=[], place_of_service=None)
    with pytest.raises(InputError, match="cannot write the 837") as caught:
        write_837([bad], config, store=store, now=NOW)
    problems = caught.value.problems
    assert any("no diagnosis" in p for p in problems)
    assert any("place_of_service" in p for p in problems)
    assert store.last("ZZ:MAPLECLINIC")["interchange"] == 0, "no control number is used up by a failed write"
