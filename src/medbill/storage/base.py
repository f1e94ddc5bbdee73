"""The declarative base every table derives from, and the column types medbill stores values with.

Conventions for tables (the app adds its own with further migrations; keep to these):

- plural snake_case table names; an integer surrogate primary key `id` (`Id` type: BIGINT on
  PostgreSQL, INTEGER on SQLite so that it is the rowid); business keys get unique constraints;
- constraint and index names come from `NAMING_CONVENTION`, so Alembic can alter and drop them on
  both backends (SQLite batch migrations need named constraints);
- money is `Cents` (an exact integer number of cents; Python sees `Decimal` with two places), never
  a float or a backend-specific numeric; dates are `Date`; instants are `UtcDateTime` (aware UTC);
- whole documents (a claim, a remittance claim) are `Document` (JSONB on PostgreSQL, JSON on SQLite)
  next to the key columns queries need.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, Integer, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from medbill.core.money import CENT, money

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = BigInteger().with_variant(Integer(), "sqlite")
"""Surrogate keys: BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite."""

Document = JSON().with_variant(JSONB(), "postgresql")
"""A JSON document (JSONB on PostgreSQL)."""


class Base(DeclarativeBase):
    """Declarative base of medbill's tables; its `metadata` is what Alembic compares migrations with."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Cents(TypeDecorator[Decimal]):
    """Money stored as an exact integer number of cents; read back as a `Decimal` with two places.

    Sums computed by the database (`func.sum`) keep this type, so they come back as money too.
    Binding an amount that is not a whole number of cents is a bug and raises `ValueError`.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        amount = value if isinstance(value, Decimal) else Decimal(value)
        if amount != amount.quantize(CENT):
            raise ValueError(f"amount {amount} is not a whole number of cents")
        return int(amount.scaleb(2))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return money(Decimal(value).scaleb(-2))


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An instant, stored in UTC and read back timezone-aware (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError("instants must be timezone-aware datetimes")
        instant = value.astimezone(dt.UTC)
        return instant.replace(tzinfo=None) if dialect.name == "sqlite" else instant

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    """The current instant (aware, UTC)."""
    return dt.datetime.now(dt.UTC)
