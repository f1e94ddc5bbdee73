"""Posting real X12 835 files (written by the project's 835 writer, then damaged the way files arrive
damaged) on SQLite and PostgreSQL: a malformed file posts nothing and says where; amounts that do not
balance and claims the journal does not know are held in the exception queue, never dropped; the
journal stays balanced throughout."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from medbill.ar.accounts import CASH, Account, AccountKind
from medbill.core.errors import InputError
from medbill.core.remittance import Remittance
from medbill.services.charges import record_claims
from medbill.services.era import post_remittance_file
from medbill.services.journal import check_journal
from medbill.storage import Database
from medbill.x12.config import X12Config
from medbill.x12.write835 import write_835

from . import ar_builders as builders
from .ar_builders import DOS, PAID_ON, claim, remittance

PAYER = X12Config(
    sender_id="SANDBOX", receiver_id="SYNCLINIC", payer_contact={"name": "EDI", "phone": "8005550199"}
)
TWO_LINES = (("99213", "120.00"), ("36415", "20.00"))
PAID_CLP = "CLP*{}*1*140*71.43**MB*ICN-{}"


def paid(claim_id: str) -> object:
    return builders.paid(claim_id, payer_claim_number=f"ICN-{claim_id}")


def x12(*remittances: Remittance) -> str:
    return write_835(remittances, PAYER, now=dt.datetime(2026, 3, 30, 8, 0))


def state(database: Database) -> dict[str, object]:
    with database.reader() as uow:
        return {
            "balances": {a: v for a, v in uow.journal.account_balances().items() if v},
            "entries": uow.journal.entry_count(),
            "remittances": len(uow.remittances.recent()),
            "exceptions": len(uow.queues.exceptions()),
        }


@pytest.fixture
def charged(database: Database) -> Database:
    record_claims(database, [claim("PCN-1", TWO_LINES), claim("PCN-2", TWO_LINES)], on=DOS)
    return database


def test_the_clean_file_posts(charged: Database, tmp_path: Path) -> None:
    """The undamaged file the other tests start from posts both claims (so their damage is the cause)."""
    path = tmp_path / "good.835"
    path.write_text(x12(remittance(paid("PCN-1"), trace="T-1"), remittance(paid("PCN-2"), trace="T-2")))
    results = post_remittance_file(charged, path, today=PAID_ON)
    assert [r.posted_claims for r in results] == [1, 1]
    assert state(charged)["balances"][CASH] == Decimal("142.86")  # type: ignore[index]


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (
            lambda t: t.replace(PAID_CLP.format("PCN-2", "PCN-2"), "CLP*PCN-2*1*140*7x.43**MB*ICN-PCN-2"),
            "CLP04",
        ),
        (lambda t: t[: t.index("SVC*", t.rindex("ST*835"))], "SE"),  # cut off after the second CLP
        (lambda t: t.replace("SVC*HC:36415*20*10~", "SVC*HC:36415**10~", 2), "SVC02"),
    ],
    ids=["bad-amount", "truncated", "missing-charge"],
)
def test_a_file_damaged_in_its_second_transaction_set_posts_nothing_and_says_where(
    charged: Database, tmp_path: Path, damage, where: str
) -> None:  # type: ignore[no-untyped-def]
    """The first transaction set is sound, the second is not: nothing of the file is posted (not
    even the sound half), and the error names the file, the segment and the element."""
    good = x12(remittance(paid("PCN-1"), trace="T-1"), remittance(paid("PCN-2"), trace="T-2"))
    damaged = damage(good)
    assert damaged != good
    path = tmp_path / "damaged.835"
    path.write_text(damaged)
    before = state(charged)
    with pytest.raises(InputError) as info:
        post_remittance_file(charged, path, today=PAID_ON)
    message = str(info.value)
    assert "damaged.835" in message
    assert "nothing was posted" in message
    assert where in message
    assert "segment" in message
    assert state(charged) == before
    assert check_journal(charged).ok


def test_an_835_that_does_not_balance_is_held_in_the_exception_queue(
    charged: Database, tmp_path: Path
) -> None:
    """CLP04 says 70.43 while its lines pay 71.43, and BPR02 says 71.43: the claim is not posted, the
    money is held as unapplied cash and queued, and cash still equals what the payer sent."""
    text = x12(remittance(paid("PCN-1"), trace="T-1"))
    path = tmp_path / "unbalanced.835"
    path.write_text(text.replace(PAID_CLP.format("PCN-1", "PCN-1"), "CLP*PCN-1*1*140*70.43**MB*ICN-PCN-1"))
    [result] = post_remittance_file(charged, path, today=PAID_ON)
    assert result.posted_claims == 0
    kinds = sorted(e.kind.value for e in result.exceptions)
    assert kinds == ["unbalanced_claim", "unbalanced_remittance"]
    with charged.reader() as uow:
        queued = {e.kind: e.amount for e in uow.queues.exceptions()}
        assert queued == {"unbalanced_claim": Decimal("70.43"), "unbalanced_remittance": Decimal("1.00")}
        assert uow.journal.balance(account=CASH) == Decimal("71.43")  # what the payer sent, all of it
        assert uow.journal.balance(kind=AccountKind.UNAPPLIED) == Decimal("-71.43")
        assert uow.journal.balance(account=Account.insurance("SBX01"), claim_id="PCN-1") == Decimal("140.00")
    assert check_journal(charged).ok


def test_an_835_for_claims_the_journal_does_not_know(charged: Database, tmp_path: Path) -> None:
    """Every CLP names a claim nobody billed: all of them go to the exception queue with their
    control numbers, the whole payment is held unapplied, the claims' balances do not move."""
    path = tmp_path / "strangers.835"
    path.write_text(x12(remittance(paid("OTHER-1"), paid("OTHER-2"), trace="T-9")))
    before = state(charged)["balances"]
    [result] = post_remittance_file(charged, path, today=PAID_ON)
    assert result.posted_claims == 0
    with charged.reader() as uow:
        queued = uow.queues.exceptions()
        assert sorted((e.kind, e.amount) for e in queued) == [("unmatched_claim", Decimal("71.43"))] * 2
        assert any("OTHER-1" in e.message and "ICN-OTHER-1" in e.message for e in queued)
        after = {a: v for a, v in uow.journal.account_balances().items() if v}
    assert after == {
        **before,  # type: ignore[dict-item]
        CASH: Decimal("142.86"),
        Account(AccountKind.UNAPPLIED, result.payer_key): Decimal("-142.86"),
    }
    assert check_journal(charged).ok
