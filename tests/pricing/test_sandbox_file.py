"""The sandbox payer end to end: claims → 837 (x12 writer) → `medbill sandbox adjudicate` → 835
that `medbill edi parse` reads back, balanced, with the decisions the real tables give."""

import datetime as dt
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from medbill.cli.main import run
from medbill.codesets.mpfs_section import Mpfs
from medbill.core.claimfile import read_claims
from medbill.core.errors import InputError
from medbill.core.remittance import Remittance
from medbill.pricing.sandbox import SandboxConfig
from medbill.pricing.sandbox.payer import adjudicate_file
from medbill.x12 import read_835, write_837

CLAIMS = Path(__file__).parent / "fixtures" / "claims" / "sandbox_batch.json"
X12_CONFIG = {
    "sender_id": "SYNCLINIC01",
    "receiver_id": "MBSANDBOX",
    "submitter": {
        "name": "Synthetic Clinic",
        "id": "SYNCLINIC01",
        "contact": {"name": "Billing", "phone": "5555550100"},
    },
    "receiver": {"name": "Medbill Sandbox", "id": "MBSANDBOX"},
}
CONTROL = re.compile(
    r"^(ISA(?:\*[^*]*){12}\*)\d{9}|^(GS(?:\*[^*]*){5}\*)\d+|^(GE\*\d+\*)\d+|^(IEA\*\d+\*)\d{9}|^(ST\*835\*)\d+|^(SE\*\d+\*)\d+"
)


@pytest.fixture
def claims_837(tmp_path: Path, home: Path, mirror: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDBILL_DATA_MIRROR", str(mirror))
    path = tmp_path / "claims.837"
    path.write_text(write_837(read_claims(CLAIMS), X12_CONFIG, now=dt.datetime(2026, 4, 20, 9, 0)))
    return path


def _amounts(remittances: Sequence[Remittance]) -> list[object]:
    """What the 835 says about money, claim by claim and line by line."""
    return [
        (
            r.payment.amount,
            [
                (c.claim_id, c.status, c.charge, c.paid, c.patient_responsibility, c.payer_claim_number,
                 [(ln.procedure, ln.charge, ln.paid, ln.allowed, ln.adjustments, ln.remarks) for ln in c.lines])
                for c in r.claims
            ],
        )
        for r in remittances
    ]  # fmt: skip


def _without_control_numbers(text: str) -> list[str]:
    masked = []
    for segment in text.replace("\n", "").split("~"):
        masked.append(CONTROL.sub(lambda m: next(g for g in m.groups() if g is not None) + "#", segment))
    return masked


def test_adjudicated_835_parses_back_balanced(claims_837: Path, tmp_path: Path, real_mpfs: Mpfs) -> None:
    output = tmp_path / "remit.835"
    result = adjudicate_file(
        claims_837, output, config=SandboxConfig(deductible=Decimal("283.00")), mpfs=real_mpfs
    )
    remittances, findings = read_835(output)
    assert [f for f in findings if f.severity.blocking] == []
    assert [f.rule for f in findings if f.rule.startswith("x12.835.balance")] == []
    assert _amounts(remittances) == _amounts(result.remittances)
    by_claim = {c.claim_id: c for r in remittances for c in r.claims}
    # one patient, two visits: the deductible (283.00) absorbs both (152.82 + 99.68 allowed)
    assert by_claim["SBX-VISIT-1"].paid == Decimal("0.00")
    assert by_claim["SBX-VISIT-1"].patient_responsibility == Decimal("152.82")
    assert [(a.group.value, a.reason) for a in by_claim["SBX-VISIT-2"].lines[1].adjustments] == [("CO", "97")]
    assert by_claim["SBX-VISIT-2"].lines[1].remarks == ("M15",)  # 36000 is status B (bundled)
    # two excisions: the second is reduced by the multiple-procedure rule (CO-59)
    assert ("CO", "59", Decimal("73.73")) in [
        (a.group.value, a.reason, a.amount) for a in by_claim["SBX-SURG-1"].lines[0].adjustments
    ]
    # 5 units of 11400 against a practitioner MUE of 3: the line is denied
    mue = by_claim["SBX-MUE-1"]
    assert (mue.status, [(a.reason, a.amount) for a in mue.lines[0].adjustments]) == (
        "4",
        [("151", Decimal("1000.00"))],
    )
    assert mue.lines[0].remarks == ("N362",)
    assert [r.payment.date for r in remittances] == [dt.date(2026, 4, 30)] * 2


def test_same_837_same_835_but_control_numbers(claims_837: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.835", tmp_path / "b.835"
    adjudicate_file(claims_837, first)
    adjudicate_file(claims_837, second)
    a, b = first.read_text(), second.read_text()
    assert a != b  # new control numbers
    assert _without_control_numbers(a) == _without_control_numbers(b)


def test_cli_adjudicate_then_edi_parse(
    claims_837: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "remit.835"
    with pytest.raises(SystemExit) as status:
        run(["sandbox", "adjudicate", str(claims_837), "-o", str(output), "--json"])
    assert status.value.code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["claims"] == 4
    denied = {d["claim_id"]: d["denied_lines"] for d in summary["decisions"]}
    assert denied["SBX-MUE-1"] == [
        {
            "line": 1,
            "procedure": "11400",
            "group": "CO",
            "carc": "151",
            "rarc": ["N362"],
            "rules": ["ncci.mue"],
        }
    ]
    with pytest.raises(SystemExit) as status:
        run(["edi", "parse", str(output), "--json"])
    assert status.value.code == 0
    parsed = json.loads(capsys.readouterr().out)
    paid = sum(Decimal(t["payment"]["amount"]) for t in parsed["transactions"])
    assert paid == Decimal(summary["paid"])


def test_not_an_837_is_an_input_error(tmp_path: Path, home: Path) -> None:
    bad = tmp_path / "bad.837"
    bad.write_text("this is not X12")
    with pytest.raises(InputError):
        adjudicate_file(bad, tmp_path / "out.835")
    assert not (tmp_path / "out.835").exists()
