"""Dates of effect: every rule value, code and fee is valid over a range of dates.

>>> r = EffectiveRange(date(2025, 10, 1), date(2026, 9, 30))
>>> r.contains(date(2026, 4, 1)), r.contains(date(2026, 10, 1))
(True, False)
"""

from dataclasses import dataclass
from datetime import date, datetime

from medbill.core.errors import InputError

FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True, slots=True)
class EffectiveRange:
    """A closed range of dates `[start, end]`; `end=None` means still in force."""

    start: date
    end: date | None = None

    def contains(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    def overlaps(self, other: "EffectiveRange") -> bool:
        mine_end = self.end or FAR_FUTURE
        other_end = other.end or FAR_FUTURE
        return self.start <= other_end and other.start <= mine_end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat() if self.end else ''}"


def parse_date(text: str, *, what: str = "date") -> date:
    """Parse an ISO date (`YYYY-MM-DD`) or the X12/CMS form `YYYYMMDD`; `InputError` names `what`.

    >>> parse_date("2026-02-28"), parse_date("20260228")
    (datetime.date(2026, 2, 28), datetime.date(2026, 2, 28))
    """
    value = text.strip()
    try:
        if len(value) == 8 and value.isdigit():
            return datetime.strptime(value, "%Y%m%d").date()
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a valid date (expected YYYY-MM-DD)") from None
