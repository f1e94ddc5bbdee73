"""X12 data element values: dates (D8/RD8/DT), amounts (R), quantities, and their X12 text forms.

Readers use `Values`, which turns a bad value into a finding naming the segment and element and
gives back a neutral value, so one masked or garbled amount never stops a file from being read.

>>> x12_date("20260131"), x12_date("2026013"), parse_period("RD8", "20260101-20260105")
(datetime.date(2026, 1, 31), None, (datetime.date(2026, 1, 1), datetime.date(2026, 1, 5)))
>>> x12_decimal("1.50"), x12_decimal("-.5"), x12_decimal("1,5")
(Decimal('1.50'), Decimal('-0.5'), None)
>>> x12_number(Decimal("2.000")), x12_number(Decimal("0.50"))
('2', '0.5')
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from medbill.core.findings import Severity, Source
from medbill.core.money import ZERO, money
from medbill.x12.report import FindingSink
from medbill.x12.segment import Segment


def x12_date(text: str) -> dt.date | None:
    """A CCYYMMDD date, or None when the text is not one."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def parse_period(qualifier: str, text: str) -> tuple[dt.date | None, dt.date | None]:
    """A D8 date, an RD8 range (``CCYYMMDD-CCYYMMDD``) or a DT date-time, as (start, end)."""
    if qualifier == "RD8" or (not qualifier and "-" in text):
        start, _, end = text.partition("-")
        return x12_date(start), x12_date(end)
    if qualifier == "DT":
        day = x12_date(text[:8])
        return day, day
    day = x12_date(text)
    return day, day


def x12_decimal(text: str) -> Decimal | None:
    """A decimal number in X12 form (R/N types: optional sign, optional point), or None."""
    if not text or any(c not in "0123456789.-+" for c in text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def x12_number(value: Decimal) -> str:
    """A quantity in X12 form: no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def x12_time(value: dt.time) -> str:
    return value.strftime("%H%M")


def d8(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


class Values:
    """Element readers that report bad values as findings (rule ``x12.value.*``)."""

    def __init__(self, sink: FindingSink, source: Source) -> None:
        self.sink = sink
        self.source = source

    def _bad(self, seg: Segment, index: int, what: str, value: str) -> None:
        self.sink.add(
            "x12.value.invalid",
            Severity.REJECT,
            f"{seg.id}{index:02d} ({what}) {value!r} is not valid",
            seg,
            source=self.source,
        )

    def amount(self, seg: Segment, index: int, what: str, *, required: bool = True) -> Decimal:
        """Element ``index`` as money; a missing required or malformed amount is a finding and 0."""
        text = seg.el(index)
        if not text:
            if required:
                self.sink.add(
                    "x12.value.missing",
                    Severity.REJECT,
                    f"{seg.id}{index:02d} ({what}) is required but empty",
                    seg,
                    source=self.source,
                )
            return ZERO
        value = x12_decimal(text)
        if value is None:
            self._bad(seg, index, what, text)
            return ZERO
        return money(value)

    def optional_amount(self, seg: Segment, index: int, what: str) -> Decimal | None:
        text = seg.el(index)
        return self.amount(seg, index, what) if text else None

    def quantity(self, seg: Segment, index: int, what: str) -> Decimal | None:
        text = seg.el(index)
        if not text:
            return None
        value = x12_decimal(text)
        if value is None:
            self._bad(seg, index, what, text)
        return value

    def date(self, seg: Segment, index: int, what: str) -> dt.date | None:
        text = seg.el(index)
        if not text:
            return None
        value = x12_date(text[:8]) if len(text) == 12 else x12_date(text)
        if value is None:
            self._bad(seg, index, what, text)
        return value

    def period(self, seg: Segment, what: str) -> tuple[dt.date | None, dt.date | None]:
        """A DTP segment's date or date range (DTP02 format qualifier, DTP03 value)."""
        start, end = parse_period(seg.el(2), seg.el(3))
        if start is None or end is None:
            self._bad(seg, 3, what, seg.el(3))
        return start, end
