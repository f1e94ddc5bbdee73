"""The `medbill ar` commands a biller uses, end to end on the fixtures, on SQLite and PostgreSQL."""

import json
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from medbill.cli.main import run
from medbill.core.claim import Claim, Responsibility
from medbill.storage import Database

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def medbill(
    database: Database, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):  # type: ignore[no-untyped-def]
    """Run `medbill ...` against the test database; returns (exit status, stdout)."""
    monkeypatch.setenv("MEDBILL_DATABASE_URL", database_url_of(database))

    def call(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            run(list(args))
        out = capsys.readouterr()
        return int(exit_info.value.code or 0), out.out + out.err

    return call


def database_url_of(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def as_json(result: tuple[int, str]):  # type: ignore[no-untyped-def]
    status, out = result
    assert status == 0, out
    return json.loads(out)


def charged_and_posted(medbill) -> None:  # type: ignore[no-untyped-def]
    assert as_json(
        medbill("ar", "charge", str(FIXTURES / "claims.yaml"), "--date", "2026-02-25", "--no-check", "--json")
    )["recorded"]
    [posted] = as_json(medbill("ar", "post-era", str(FIXTURES / "remittance.json"), "--json"))
    assert (posted["posted_claims"], posted["denials"], posted["duplicate"]) == (3, 1, False)


def test_charge_post_and_read_the_journal(medbill) -> None:  # type: ignore[no-untyped-def]
    charged_and_posted(medbill)
    [again] = as_json(medbill("ar", "post-era", str(FIXTURES / "remittance.json"), "--json"))
    assert again["duplicate"] is True
    balances = as_json(medbill("ar", "balance", "--json"))["balances"]
    assert balances == {
        "ar_insurance:SBX01": "120.00",
        "ar_patient:TESTER-ALEX-19500301": "44.06",
        "cash": "176.23",
        "contractual": "99.71",
        "revenue": "-440.00",
    }
    aging = as_json(medbill("ar", "aging", "--as-of", "2026-03-31", "--json"))
    assert aging["total"] == "164.06"
    assert aging["buckets"] == {
        "0-30": "0.00",
        "31-60": "138.18",
        "61-90": "25.88",
        "91-120": "0.00",
        "120+": "0.00",
    }
    by_payer = {
        r["key"]: r["total"]
        for r in as_json(medbill("ar", "aging", "--as-of", "2026-03-31", "--by", "payer", "--json"))["rows"]
    }
    assert by_payer == {"SBX01": "120.00", "patient": "44.06"}
    early = as_json(medbill("ar", "aging", "--as-of", "2026-03-01", "--json"))
    assert early["total"] == "440.00"  # charges only: the remittance was paid on 2026-03-06
    entries = as_json(medbill("ar", "journal", "--claim", "AR-1001", "--json"))
    assert [e["kind"] for e in entries] == ["charge", "payment", "adjustment", "transfer"]
    assert medbill("ar", "check")[0] == 0


def test_exception_and_denial_queues(medbill) -> None:  # type: ignore[no-untyped-def]
    charged_and_posted(medbill)
    [exception] = as_json(medbill("ar", "exceptions", "--json"))
    assert exception["kind"] == "unmatched_claim"
    assert "AR-9999" in exception["message"]
    denials = as_json(medbill("ar", "denials", "--json"))
    [category] = denials["categories"]
    assert (category["category"], category["count"], category["amount"]) == ("eligibility", 1, "120.00")
    [denial] = category["denials"]
    assert denial["remarks"] == ["N30"]
    status, out = medbill(
        "ar", "denials", "resolve", str(denial["id"]), "--write-off", "--note", "no coverage on DOS"
    )
    assert status == 0, out
    assert "wrote off 120.00" in out
    assert as_json(medbill("ar", "denials", "--json"))["categories"] == []
    balances = as_json(medbill("ar", "balance", "--json"))["balances"]
    assert "ar_insurance:SBX01" not in balances
    assert balances["write_off"] == "120.00"
    status, out = medbill(
        "ar", "exceptions", "resolve", str(exception["id"]), "--note", "not our claim; payer notified"
    )
    assert status == 0, out
    assert as_json(medbill("ar", "exceptions", "--json")) == []


def test_kpis_state_their_definitions(medbill) -> None:  # type: ignore[no-untyped-def]
    charged_and_posted(medbill)
    kpis = {k["key"]: k for k in as_json(medbill("ar", "kpis", "--as-of", "2026-03-31", "--json"))}
    assert set(kpis) == {
        "days_in_ar",
        "clean_claim_rate",
        "first_pass_payment_rate",
        "denial_rate",
        "net_collection_rate",
    }
    assert all("HFMA" in k["definition"] for k in kpis.values())
    assert (
        kpis["denial_rate"]["numerator"],
        kpis["denial_rate"]["denominator"],
        kpis["denial_rate"]["value"],
    ) == ("1", "3", "33.33")
    assert kpis["first_pass_payment_rate"]["value"] == "66.67"
    assert kpis["net_collection_rate"]["numerator"] == "176.23"
    assert kpis["net_collection_rate"]["denominator"] == "340.29"  # 440.00 charged − 99.71 contractual
    assert kpis["clean_claim_rate"]["value"] is None  # recorded with --no-check
    assert Decimal(kpis["days_in_ar"]["value"]) == (Decimal("164.06") / (Decimal("340.29") / 90)).quantize(
        Decimal("0.1")
    )


def test_statement_pdf_agrees_with_the_journal(medbill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    charged_and_posted(medbill)
    assert medbill("ar", "pay", "AR-1002", "10.00", "--date", "2026-03-20")[0] == 0
    pdf = tmp_path / "statement.pdf"
    found = as_json(
        medbill("ar", "statement", "1EG4TE5MK73", "-o", str(pdf), "--date", "2026-03-31", "--json")
    )
    balances = as_json(medbill("ar", "balance", "--json"))["balances"]
    assert found["amount_due"] == balances["ar_patient:TESTER-ALEX-19500301"] == "34.06"
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert "Amount due: $34.06" in text
    assert "AR-1001" in text
    assert "AR-1003" not in text  # another patient's claim
    for line in found["lines"]:
        left = (
            Decimal(line["charges"])
            - Decimal(line["insurance_paid"])
            - Decimal(line["adjustments"])
            - Decimal(line["patient_paid"])
        )
        assert left == Decimal(line["insurance_pending"]) + Decimal(line["balance"])
        assert f"${line['balance']}" in text


def test_secondary_claim_is_ready_for_the_837_writer(medbill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    charged_and_posted(medbill)
    out = tmp_path / "secondary.json"
    result = as_json(
        medbill(
            "ar",
            "secondary",
            "AR-1001",
            "--coverage",
            str(FIXTURES / "coverage.yaml"),
            "-o",
            str(out),
            "--json",
        )
    )
    assert result["transferred"] == "25.88"
    claim = Claim.model_validate_json(out.read_text())
    assert claim.responsibility == Responsibility.SECONDARY
    assert claim.payer.id == "GAP02"
    [primary] = claim.other_payers
    assert (primary.payer.id, primary.paid, primary.payer_claim_number) == (
        "SBX01",
        Decimal("103.53"),
        "ICN-1001",
    )
    assert primary.remaining_patient_liability == Decimal("25.88")
    assert [ln.line for ln in primary.lines] == [1, 2]
    balances = as_json(medbill("ar", "balance", "--json"))["balances"]
    assert balances["ar_insurance:GAP02"] == "25.88"
    assert balances["ar_patient:TESTER-ALEX-19500301"] == "18.18"

    from medbill.x12.config import X12Config
    from medbill.x12.write837 import write_837

    config = X12Config(
        sender_id="SYNCLINIC",
        receiver_id="GAPCH",
        submitter={
            "name": "Synthetic Family Medicine",
            "id": "SYN01",
            "contact": {"name": "Billing", "phone": "5555550100"},
        },
        receiver={"name": "Gap Clearinghouse", "id": "GAPCH"},
    )
    text = write_837([claim], config)
    assert "SBR*S" in text
    assert "SVD*SBX01*95.49" in text  # the primary's line payment (loop 2430)
    try:
        from x12.pyx12_check import pyx12_errors
    except ImportError:  # pragma: no cover - the x12 area's helper
        pytest.skip("pyx12 helper of the x12 tests not importable")
    assert pyx12_errors(text) == []


def test_bad_input_is_reported_with_exit_status_2(medbill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.835"
    broken.write_text("ISA*00*garbage~")
    status, out = medbill("ar", "post-era", str(broken))
    assert status == 2
    assert "broken.835" in out
    status, out = medbill("ar", "statement", "NOBODY-X-19000101", "-o", str(tmp_path / "x.pdf"))
    assert status == 2
    assert "no patient" in out
    status, out = medbill("ar", "aging", "--by", "planet")
    assert status == 2
    status, out = medbill("ar", "assert", "cash", "1.00", "--date", "2026-04-01")
    assert status == 1
    assert "balance assertion failed" in out
