"""The reference data the rules read, as small interfaces looked up *as of* a date of service.

The scrubber never talks to SQLite on its hot path: a `Reference` bundles lookups that are either
in-memory tables (the NCCI edits, loaded once) or memoising adapters over the knowledge base
(`medbill.rules.kbref`). Each answer carries the `Source` (publication and release) a finding cites.

Every part is optional: a rule whose data is missing is reported as not checked, never guessed.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from medbill.codesets.ncci_tables import NcciTables
from medbill.core.claim import Sex
from medbill.core.dates import EffectiveRange
from medbill.core.findings import Source


@dataclass(frozen=True, slots=True)
class CodeStatus:
    """What a code list says about one code on one date.

    `known` is False when the release in force does not list the code at all; `added`/`terminated`
    are the code's own dates; `release` is the effective range the release covers (a code missing
    from a release older than the date of service may simply be newer than the release).
    """

    code: str
    known: bool
    source: Source
    added: dt.date | None = None
    terminated: dt.date | None = None
    release: EffectiveRange | None = None

    def in_force(self, on: dt.date) -> bool:
        if not self.known:
            return False
        if self.added is not None and on < self.added:
            return False
        return self.terminated is None or on <= self.terminated

    def release_covers(self, on: dt.date) -> bool:
        return self.release is None or self.release.contains(on)


@dataclass(frozen=True, slots=True)
class DxInfo:
    """An ICD-10-CM code as the Tabular in force on a date describes it."""

    code: str
    billable: bool
    source: Source
    description: str = ""
    children: tuple[str, ...] = ()
    excludes1: tuple[str, ...] = ()
    code_first: bool = False
    sex: Sex | None = None
    seventh_characters: tuple[str, ...] = ()
    """For a code that needs a 7th character: the characters it takes."""
    fallback: bool = False
    """True when no release in force on the date was installed and the nearest one answered."""


@dataclass(frozen=True, slots=True)
class AgeEdit:
    """An MCE age-conflict list a diagnosis is on (e.g. `4B Pediatric`, ages 0 through 17)."""

    list: str
    min_age: int
    max_age: int

    def allows(self, age: int) -> bool:
        return self.min_age <= age <= self.max_age


class CodeLookup(Protocol):
    """A dated code list: HCPCS codes, HCPCS modifiers, CPT codes, places of service."""

    def status(self, code: str, on: dt.date) -> CodeStatus: ...


class Icd10cmLookup(Protocol):
    def get(self, code: str, on: dt.date) -> DxInfo | None:
        """The code as of `on`, or None when the Tabular in force does not have it."""
        ...

    def source(self, on: dt.date) -> Source: ...

    def covers(self, on: dt.date) -> bool:
        """False when no installed release is in force on `on` (the nearest one answers instead)."""
        ...


class MceLookup(Protocol):
    """CMS Medicare Code Editor lists in force on a date."""

    def source(self, on: dt.date) -> Source: ...

    def age_edit(self, code: str, on: dt.date) -> AgeEdit | None: ...

    def is_manifestation(self, code: str, on: dt.date) -> bool: ...

    def is_unacceptable_principal(self, code: str, on: dt.date) -> bool: ...


class GlobalDaysLookup(Protocol):
    """MPFS global surgery days (`000`, `010`, `090`, `XXX`, `YYY`, `ZZZ`, `MMM`) as of a date."""

    def global_days(self, code: str, on: dt.date) -> tuple[str, Source] | None: ...


@dataclass
class Reference:
    """The reference data one scrubber uses. Missing parts make their rules report "not checked"."""

    icd10cm: Icd10cmLookup | None = None
    hcpcs: CodeLookup | None = None
    hcpcs_modifiers: CodeLookup | None = None
    cpt: CodeLookup | None = None
    cpt_modifiers: CodeLookup | None = None
    pcs: CodeLookup | None = None
    pos: CodeLookup | None = None
    mce: MceLookup | None = None
    mpfs: GlobalDaysLookup | None = None
    ncci: NcciTables | None = None
    notes: dict[str, str] = field(default_factory=dict)
    """Why a part is missing, by part name, for the "not checked" finding."""

    def has(self, part: str) -> bool:
        """True when a part is installed; `ncci.ptp` style names look inside the NCCI tables."""
        head, _, tail = part.partition(".")
        value = getattr(self, head, None)
        if value is None:
            return False
        return bool(getattr(value, tail, None)) if tail else True
