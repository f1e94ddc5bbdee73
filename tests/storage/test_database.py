"""The store keeps money exact, instants in UTC, and a unit of work all-or-nothing, on both backends."""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select

from medbill.storage import Database
from medbill.storage.base import utcnow
from medbill.storage.tables import AccountRow, ClaimRow

cents = st.integers(min_value=-(10**13), max_value=10**13).map(lambda n: Decimal(n).scaleb(-2))


def add_claim(database: Database, claim_id: str, total: Decimal) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            insert(ClaimRow).values(
                claim_id=claim_id,
                patient_key="P",
                total_charge=total,
                billed_on=dt.date(2026, 3, 2),
                recorded_at=utcnow(),
            )
        )


def test_money_is_stored_exactly_and_sums_come_back_as_money(database: Database) -> None:
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("99999999999.99"), Decimal("-0.05")]
    for n, amount in enumerate(amounts):
        add_claim(database, f"C{n}", amount)
    with database.engine.connect() as connection:
        stored = connection.scalars(select(ClaimRow.total_charge).order_by(ClaimRow.id)).all()
        total = connection.scalar(select(func.sum(ClaimRow.total_charge)))
    assert stored == amounts
    assert total == sum(amounts) == Decimal("100000000000.24")
    assert str(total) == "100000000000.24"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=cents)
def test_any_amount_of_cents_round_trips(database: Database, amount: Decimal) -> None:
    with database.engine.begin() as connection:
        connection.execute(ClaimRow.__table__.delete())
    add_claim(database, "RT", amount)
    with database.engine.connect() as connection:
        assert connection.scalar(select(ClaimRow.total_charge)) == amount


def test_fractions_of_a_cent_are_refused(database: Database) -> None:
    with pytest.raises(Exception, match="whole number of cents"):
        add_claim(database, "X", Decimal("1.005"))


def test_instants_come_back_aware_in_utc(database: Database) -> None:
    eastern = dt.timezone(dt.timedelta(hours=-5))
    moment = dt.datetime(2026, 3, 1, 9, 30, tzinfo=eastern)
    with database.engine.begin() as connection:
        connection.execute(
            insert(ClaimRow).values(
                claim_id="T",
                patient_key="P",
                total_charge=Decimal("1.00"),
                billed_on=moment.date(),
                recorded_at=moment,
            )
        )
    with database.engine.connect() as connection:
        stored = connection.scalar(select(ClaimRow.recorded_at))
    assert stored == moment
    assert stored.utcoffset() == dt.timedelta(0)


def test_a_unit_of_work_that_raises_leaves_nothing_behind(database: Database) -> None:
    def crashing_action() -> None:
        with database.unit_of_work() as uow:
            uow._session.execute(insert(AccountRow).values(kind="cash", party=""))
            uow.flush()
            raise RuntimeError("crash in the middle of a business action")

    with pytest.raises(RuntimeError):
        crashing_action()
    with database.reader() as uow:
        assert uow._session.scalar(select(func.count()).select_from(AccountRow)) == 0
    with database.unit_of_work() as uow:
        uow._session.execute(insert(AccountRow).values(kind="cash", party=""))
    with database.reader() as uow:
        assert uow._session.scalar(select(func.count()).select_from(AccountRow)) == 1


def test_concurrent_writers_queue_instead_of_failing(database: Database) -> None:
    """Two units of work that read then write at the same time both commit (SQLite: BEGIN IMMEDIATE)."""
    errors: list[BaseException] = []

    def writer(party: str, pause: float) -> None:
        try:
            with database.unit_of_work() as uow:
                uow._session.scalar(select(func.count()).select_from(AccountRow))
                time.sleep(pause)
                uow._session.execute(insert(AccountRow).values(kind="cash", party=party))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=writer, args=("a", 0.3)),
        threading.Thread(target=writer, args=("b", 0)),
    ]
    threads[0].start()
    time.sleep(0.1)
    threads[1].start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.reader() as uow:
        assert uow._session.scalar(select(func.count()).select_from(AccountRow)) == 2
