"""Choosing the fee-schedule release that applies to a date of service.

RVU files come quarterly (`RVU26A` from January 1, `RVU26B` from April 1, ...), GPCI, locality
and anesthesia files yearly, ZIP files quarterly. The rule, the same for every kind:

1. among the releases of the service year, the latest one in effect on the date;
2. else, when the year's releases all start after the date, the earliest of that year (a later
   quarterly release of the same year carries the whole year's values) — said in the note;
3. else the latest release of the latest earlier year — said in the note (e.g. CY2025 GPCIs for a
   2026 service when the 2026 GPCI file is not installed);
4. else nothing: only releases for later years are installed.

>>> r = [Release("GPCI2025", 2025, date(2025, 1, 1))]
>>> choose_release(r, date(2026, 3, 2), "GPCI")[1]
'no GPCI release for 2026 is installed; used GPCI2025, the latest earlier release'
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar


class _Dated(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def year(self) -> int: ...

    @property
    def effective(self) -> date: ...


@dataclass(frozen=True, slots=True)
class Release:
    """A bare dated release (used in examples and tests)."""

    name: str
    year: int
    effective: date


R = TypeVar("R", bound=_Dated)


def choose_release(releases: Sequence[R], on: date, kind: str) -> tuple[R | None, str]:
    """The release of `kind` that applies on `on`, and a note when it is not the release of that date."""
    same_year = sorted((r for r in releases if r.year == on.year), key=lambda r: r.effective)
    in_force = [r for r in same_year if r.effective <= on]
    if in_force:
        return in_force[-1], ""
    if same_year:
        first = same_year[0]
        return first, (
            f"{first.name} (effective {first.effective.isoformat()}) used for a {on.isoformat()} service: "
            f"no earlier {on.year} {kind} release is installed"
        )
    earlier = sorted((r for r in releases if r.year < on.year), key=lambda r: (r.year, r.effective))
    if earlier:
        latest = earlier[-1]
        return latest, (
            f"no {kind} release for {on.year} is installed; used {latest.name}, the latest earlier release"
        )
    return None, f"no {kind} release for {on.year} or earlier is installed"
