"""Posting remittances to the journal in the database (SQLite and PostgreSQL): matching, balances,
queues, idempotency, all-or-nothing, bad input."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from medbill.ar.accounts import CASH, Account, AccountKind
from medbill.ar.carc import CarcCategory
from medbill.ar.records import QueueStatus
from medbill.core.errors import InputError
from medbill.services.charges import record_claims
from medbill.services.era import post_remittance, post_remittance_file
from medbill.services.journal import check_journal
from medbill.storage import Database
from medbill.storage.repositories.journal import JournalRepository

from .ar_builders import DOS, PAID_ON, cas, claim, clp, paid, remittance, svc

INS = Account.insurance("SBX01")
PATIENT = Account.patient("TESTER-ALEX-19500301")
TWO_LINES = (("99213", "120.00"), ("36415", "20.00"))


def balances(database: Database) -> dict[Account, Decimal]:
    with database.reader() as uow:
        return {a: v for a, v in uow.journal.account_balances().items() if v != 0}


def test_charging_then_posting_settles_the_payer_and_bills_the_patient(database: Database) -> None:
    [result] = record_claims(database, [claim("PCN-1", TWO_LINES)], on=DOS)
    assert (result.action, result.amount) == ("charged", Decimal("140.00"))
    posted = post_remittance(database, remittance(paid()), today=PAID_ON)
    assert not posted.duplicate
    assert posted.posted_claims == 1
    assert posted.exceptions == ()
    assert balances(database) == {
        CASH: Decimal("71.43"),
        PATIENT: Decimal("17.87"),
        Account(AccountKind.REVENUE): Decimal("-140.00"),
        Account(AccountKind.CONTRACTUAL): Decimal("50.70"),
    }
    with database.reader() as uow:
        assert uow.journal.line_balances("PCN-1")[(PATIENT, 1)] == Decimal("15.37")
        assert uow.journal.balance(account=INS, claim_id="PCN-1") == 0
    assert check_journal(database).ok


def test_posting_the_same_remittance_twice_posts_it_once(database: Database) -> None:
    record_claims(database, [claim("PCN-1", TWO_LINES)], on=DOS)
    first = post_remittance(database, remittance(paid()), today=PAID_ON)
    before = balances(database)
    second = post_remittance(database, remittance(paid()), today=PAID_ON)
    assert second.duplicate
    assert second.remittance_id == first.remittance_id
    assert balances(database) == before
    with database.reader() as uow:
        assert len(uow.remittances.recent()) == 1


def test_a_crash_in_the_middle_of_posting_leaves_nothing_posted(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_claims(database, [claim("PCN-1", TWO_LINES), claim("PCN-2", TWO_LINES)], on=DOS)
    before = balances(database)
    real_add = JournalRepository.add_entries

    def add_then_crash(self, entries, **kw):  # type: ignore[no-untyped-def]
        real_add(self, entries, **kw)
        assert self.entry_count() > 2  # the remittance's entries are written in the transaction ...
        raise OSError("disk unplugged")  # ... and then the process dies

    monkeypatch.setattr(JournalRepository, "add_entries", add_then_crash)
    with pytest.raises(OSError, match="unplugged"):
        post_remittance(database, remittance(paid("PCN-1"), paid("PCN-2")), today=PAID_ON)
    monkeypatch.undo()
    assert balances(database) == before
    with database.reader() as uow:
        assert uow.remittances.recent() == []
        assert uow.queues.exceptions() == []
    again = post_remittance(database, remittance(paid("PCN-1"), paid("PCN-2")), today=PAID_ON)
    assert not again.duplicate
    assert again.posted_claims == 2


def test_claims_the_journal_does_not_know_go_to_the_exception_queue(database: Database) -> None:
    record_claims(database, [claim("PCN-1", TWO_LINES)], on=DOS)
    result = post_remittance(database, remittance(paid("PCN-1"), paid("NOBODY-9")), today=PAID_ON)
    assert result.posted_claims == 1
    with database.reader() as uow:
        [item] = uow.queues.exceptions()
        assert (item.kind, item.amount, item.claim_id) == ("unmatched_claim", Decimal("71.43"), None)
        assert "NOBODY-9" in item.message
        assert uow.journal.balance(account=CASH) == Decimal("142.86")
        assert uow.journal.balance(kind=AccountKind.UNAPPLIED) == Decimal("-71.43")


def test_a_claim_is_found_by_its_payer_claim_number_when_the_control_number_changed(
    database: Database,
) -> None:
    record_claims(database, [claim("PCN-1", TWO_LINES)], on=DOS)
    denied = clp(
        "PCN-1",
        "140.00",
        "0",
        status="4",
        payer_claim_number="ICN-777",
        adjustments=(cas("CO", "16", "140.00"),),
    )
    post_remittance(database, remittance(denied, trace="T-1"), today=PAID_ON)
    again = clp(
        "PCN1",
        "140.00",
        "0",
        status="4",
        payer_claim_number="ICN-777",
        adjustments=(cas("CO", "16", "140.00"),),
    )
    result = post_remittance(database, remittance(again, trace="T-2"), today=PAID_ON)
    assert result.claims[0].claim_id == "PCN-1"
    with database.reader() as uow:
        assert len(uow.queues.denials(claim_id="PCN-1")) == 2


def test_denials_are_queued_by_category_with_remark_codes_and_leave_the_balance_open(
    database: Database,
) -> None:
    record_claims(database, [claim("PCN-1", TWO_LINES)], on=DOS)
    denied = clp(
        "PCN-1",
        "140.00",
        "61.43",
        svc("99213", "120.00", "61.43", cas("CO", "45", "43.20"), cas("PR", "2", "15.37")),
        svc("36415", "20.00", "0", cas("CO", "50", "20.00"), remarks=("N115",)),
    )
    post_remittance(database, remittance(denied), today=PAID_ON)
    with database.reader() as uow:
        [denial] = uow.queues.denials()
        assert denial.category == CarcCategory.MEDICAL_NECESSITY
        assert (denial.claim_id, denial.line, denial.procedure, denial.amount) == (
            "PCN-1",
            2,
            "36415",
            Decimal("20.00"),
        )
        assert denial.remarks == ("N115",)
        assert denial.status == QueueStatus.OPEN
        assert uow.journal.balance(account=INS, claim_id="PCN-1", line=2) == Decimal("20.00")


def test_a_malformed_remittance_file_is_a_clear_error_and_posts_nothing(
    database: Database, tmp_path: Path
) -> None:
    record_claims(database, [claim("PCN-1", TWO_LINES)], on=DOS)
    before = balances(database)
    broken = remittance(paid()).model_dump(mode="json")
    broken["claims"][0]["paid"] = "seventy"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(InputError, match="not a valid remittance") as info:
        post_remittance_file(database, path)
    assert "claims.0.paid" in str(info.value)
    garbage = tmp_path / "garbage.835"
    garbage.write_text("this is not an 835 {")
    with pytest.raises(InputError, match=r"garbage\.835"):
        post_remittance_file(database, garbage)
    assert balances(database) == before


def test_recording_the_same_claim_again_changes_nothing(database: Database) -> None:
    record_claims(database, [claim("PCN-1", TWO_LINES)], on=DOS)
    [again] = record_claims(database, [claim("PCN-1", TWO_LINES)], on=DOS)
    assert again.action == "unchanged"
    with pytest.raises(InputError, match="replacement"):
        record_claims(database, [claim("PCN-1", (("99214", "150.00"),))], on=DOS)
    [replaced] = record_claims(database, [claim("PCN-1", (("99214", "150.00"),), frequency="7")], on=DOS)
    assert replaced.action == "replaced"
    with database.reader() as uow:
        assert uow.journal.balance(account=INS, claim_id="PCN-1") == Decimal("150.00")
        assert uow.journal.balance(account=Account(AccountKind.REVENUE)) == Decimal("-150.00")


def test_recording_claims_is_all_or_nothing(database: Database) -> None:
    """One `ar charge` is one business action: a bad claim among good ones records none of them."""
    with pytest.raises(InputError, match=r"PCN-9.*void"):
        record_claims(
            database,
            [claim("PCN-1", TWO_LINES), claim("PCN-9", TWO_LINES, frequency="8"), claim("PCN-2")],
            on=DOS,
        )
    assert balances(database) == {}
    with database.reader() as uow:
        assert uow.journal.entry_count() == 0
        assert uow.claims.find({"PCN-1", "PCN-2"}) == {}
    with pytest.raises(InputError, match="more than once: PCN-1"):
        record_claims(database, [claim("PCN-1", TWO_LINES), claim("PCN-1")], on=DOS)
    [result] = record_claims(database, [claim("PCN-1", TWO_LINES)], on=DOS)
    assert result.action == "charged"


def test_the_same_trace_number_from_another_payer_is_another_remittance(database: Database) -> None:
    """Idempotency is by trace number AND payer: two payers may use the same check number."""
    record_claims(database, [claim("PCN-1", TWO_LINES), claim("PCN-2", TWO_LINES)], on=DOS)
    first = post_remittance(database, remittance(paid("PCN-1"), trace="CHK-100"), today=PAID_ON)
    other = remittance(paid("PCN-2"), trace="CHK-100", payer_id="GAP02")
    second = post_remittance(database, other, today=PAID_ON)
    assert not first.duplicate
    assert not second.duplicate
    assert second.payer_key != first.payer_key
    assert post_remittance(database, other, today=PAID_ON).duplicate
    with database.reader() as uow:
        assert len(uow.remittances.recent()) == 2
        assert uow.journal.balance(account=CASH) == Decimal("142.86")  # both payments, once each
    assert check_journal(database).ok
