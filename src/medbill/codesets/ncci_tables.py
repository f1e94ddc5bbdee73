"""NCCI tables held in memory for the scrubber's hot path, one object per published release.

The PTP table (≈2.4 million pairs for practitioners) is stored as NumPy arrays sorted by a pair
key (`id(column 1) << 20 | id(column 2)`, ≈40 MB instead of gigabytes of Python objects), with a
dict from pair key to its first row: a claim's candidate pairs cost one dict lookup each. MUE and
add-on tables are plain dicts. Everything pickles (a Dask worker receives a loaded scrubber; the
pair dict is rebuilt on arrival).

A release is in force from its effective date until the next installed release of the same kind;
the PTP and add-on rows also carry their own effective and deletion dates (deletion dates are
taken as the last day an edit applies).
"""

import bisect
import datetime as dt
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

import numpy as np

from medbill.codesets.ncci_aoc import CONTRACTOR_DEFINED, AocEdit
from medbill.codesets.ncci_mue import MueEdit
from medbill.codesets.ncci_ptp import PtpEdit
from medbill.core.findings import Source

SHIFT = 20
NO_DELETION = 0x7FFFFFFF
SETTING_NAMES = {
    "practitioner": "practitioner services",
    "outpatient_hospital": "outpatient hospital services",
    "dme": "DME supplier services",
}


@dataclass(frozen=True, slots=True)
class PtpHit:
    column1: str
    column2: str
    modifier_indicator: int
    rationale: str
    effective: dt.date


@dataclass
class PtpTable:
    """One PTP release for one setting."""

    setting: str
    source: Source
    in_force_from: dt.date
    code_ids: dict[str, int]
    keys: np.ndarray
    effective: np.ndarray
    deletion: np.ndarray
    indicator: np.ndarray
    rationale: np.ndarray
    rationales: tuple[str, ...]

    @classmethod
    def from_edits(
        cls, edits: Iterable[PtpEdit], *, setting: str, source: Source, in_force_from: dt.date
    ) -> "PtpTable":
        code_ids: dict[str, int] = {}
        rationale_ids: dict[str, int] = {}
        keys, effective, deletion = array("q"), array("i"), array("i")
        indicator, rationale = array("b"), array("h")
        for e in edits:
            a = code_ids.setdefault(e.column1, len(code_ids))
            b = code_ids.setdefault(e.column2, len(code_ids))
            keys.append((a << SHIFT) | b)
            effective.append(e.effective.toordinal())
            deletion.append(e.deletion.toordinal() if e.deletion else NO_DELETION)
            indicator.append(e.modifier_indicator)
            rationale.append(rationale_ids.setdefault(e.rationale, len(rationale_ids)))
        if len(code_ids) >= 1 << SHIFT:
            raise ValueError("more distinct codes than the PTP pair key can hold")
        key_array = np.frombuffer(keys, dtype=np.int64) if keys else np.zeros(0, dtype=np.int64)
        order = np.argsort(key_array, kind="stable")
        return cls(
            setting=setting,
            source=source,
            in_force_from=in_force_from,
            code_ids=code_ids,
            keys=key_array[order],
            effective=_array(effective, np.int32)[order],
            deletion=_array(deletion, np.int32)[order],
            indicator=_array(indicator, np.int8)[order],
            rationale=_array(rationale, np.int16)[order],
            rationales=tuple(rationale_ids),
        )

    def __post_init__(self) -> None:
        self._index = _first_rows(self.keys)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_index"]  # rebuilt on arrival: cheaper than shipping it
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    def hits(self, codes: Sequence[str], on: dt.date) -> list[PtpHit]:
        """The edits in force on `on` between any two different codes of `codes` (one date, one provider)."""
        ids = self.code_ids
        present = [(c, ids[c]) for c in codes if c in ids]
        if len(present) < 2:
            return []
        index = self._index
        found: list[PtpHit] = []
        day = 0
        for a, ia in present:
            high = ia << SHIFT
            for b, ib in present:
                if ia == ib:
                    continue
                key = high | ib
                pos = index.get(key)
                if pos is None:
                    continue
                day = day or on.toordinal()
                found.extend(self._rows(a, b, key, pos, day))
        return found

    def _rows(self, a: str, b: str, key: int, pos: int, day: int) -> Iterator[PtpHit]:
        keys, size = self.keys, self.keys.shape[0]
        while pos < size and keys[pos] == key:
            if self.effective[pos] <= day <= self.deletion[pos]:
                yield PtpHit(
                    a,
                    b,
                    int(self.indicator[pos]),
                    self.rationales[self.rationale[pos]],
                    dt.date.fromordinal(int(self.effective[pos])),
                )
            pos += 1


def _first_rows(keys: np.ndarray) -> dict[int, int]:
    """Pair key → position of its first row in the sorted key array (later rows follow it)."""
    if not keys.shape[0]:
        return {}
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return dict(zip(keys[starts].tolist(), starts.tolist(), strict=True))


def _array(values: "array[int]", dtype: type) -> np.ndarray:
    if not values:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(values, dtype=dtype)


@dataclass(frozen=True, slots=True)
class MueValue:
    value: int
    mai: int
    rationale: str


@dataclass
class MueTable:
    setting: str
    source: Source
    in_force_from: dt.date
    values: dict[str, MueValue]

    @classmethod
    def from_edits(
        cls, edits: Iterable[MueEdit], *, setting: str, source: Source, in_force_from: dt.date
    ) -> "MueTable":
        return cls(
            setting, source, in_force_from, {e.code: MueValue(e.value, e.mai, e.rationale) for e in edits}
        )


@dataclass(frozen=True, slots=True)
class AocRow:
    edit_type: int
    primary: str
    effective: int
    deletion: int


@dataclass
class AocTable:
    source: Source
    in_force_from: dt.date
    rows: dict[str, tuple[AocRow, ...]]

    @classmethod
    def from_edits(cls, edits: Iterable[AocEdit], *, source: Source, in_force_from: dt.date) -> "AocTable":
        rows: dict[str, list[AocRow]] = {}
        for e in edits:
            last = (
                min(d.toordinal() for d in (e.deletion, e.addon_deletion) if d is not None)
                if (e.deletion or e.addon_deletion)
                else NO_DELETION
            )
            rows.setdefault(e.addon, []).append(AocRow(e.edit_type, e.primary, e.effective.toordinal(), last))
        return cls(source, in_force_from, {k: tuple(v) for k, v in rows.items()})

    def primaries(self, addon: str, on: dt.date) -> tuple[int, frozenset[str]] | None:
        """(edit type, primary codes) of an add-on code on a date; None when it is not an add-on then.

        Type 2 rows (`CCCCC`) give no primary codes. With rows of several types, the strictest
        (lowest) type is reported.
        """
        rows = self.rows.get(addon)
        if rows is None:
            return None
        day = on.toordinal()
        live = [r for r in rows if r.effective <= day <= r.deletion]
        if not live:
            return None
        kind = min(r.edit_type for r in live)
        return kind, frozenset(r.primary for r in live if r.primary != CONTRACTOR_DEFINED)


@dataclass
class NcciTables:
    """Every installed NCCI release, by kind and setting, ordered by the date each takes effect."""

    ptp: dict[str, list[PtpTable]] = field(default_factory=dict)
    mue: dict[str, list[MueTable]] = field(default_factory=dict)
    aoc: list[AocTable] = field(default_factory=list)
    _chosen: dict[tuple[str, str, dt.date], Any] = field(default_factory=dict, repr=False)

    def add_ptp(self, table: PtpTable) -> None:
        _insert(self.ptp.setdefault(table.setting, []), table)
        self._chosen.clear()

    def add_mue(self, table: MueTable) -> None:
        _insert(self.mue.setdefault(table.setting, []), table)
        self._chosen.clear()

    def add_aoc(self, table: AocTable) -> None:
        _insert(self.aoc, table)
        self._chosen.clear()

    def ptp_for(self, setting: str, on: dt.date) -> PtpTable | None:
        """The PTP release in force on `on`; before the first release, the first (its rows carry dates)."""
        key = ("ptp", setting, on)
        if key not in self._chosen:
            self._chosen[key] = _in_force(self.ptp.get(setting, ()), on, before_first=True)
        return cast(PtpTable | None, self._chosen[key])

    def mue_for(self, setting: str, on: dt.date) -> MueTable | None:
        """The MUE release in force on `on` (None before the first installed release)."""
        key = ("mue", setting, on)
        if key not in self._chosen:
            self._chosen[key] = _in_force(self.mue.get(setting, ()), on, before_first=False)
        return cast(MueTable | None, self._chosen[key])

    def aoc_for(self, on: dt.date) -> AocTable | None:
        key = ("aoc", "", on)
        if key not in self._chosen:
            self._chosen[key] = _in_force(self.aoc, on, before_first=True)
        return cast(AocTable | None, self._chosen[key])


class _Release(Protocol):
    in_force_from: dt.date


R = TypeVar("R", bound=_Release)


def _insert(tables: list[R], table: R) -> None:
    tables.append(table)
    tables.sort(key=lambda t: t.in_force_from)


def _in_force(tables: Sequence[R], on: dt.date, *, before_first: bool) -> R | None:
    if not tables:
        return None
    index = bisect.bisect_right([t.in_force_from for t in tables], on) - 1
    if index < 0:
        return tables[0] if before_first else None
    return tables[index]
