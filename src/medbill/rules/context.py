"""One claim prepared for the rules: lines grouped by date and provider, the patient's age, the setting.

Built once per claim so that thirty rules do not each regroup the lines.
"""

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from medbill.core.claim import Claim, ClaimType, ServiceLine
from medbill.rules.reference import Reference

_NO_MODIFIERS: frozenset[str] = frozenset()
# Billing-provider taxonomies of suppliers whose claims go to a DME MAC (NUCC "Suppliers" group).
DME_SUPPLIER_TAXONOMY_PREFIXES = ("332B", "335E", "332S", "3353")


class Setting(StrEnum):
    """Which NCCI table family applies to the claim."""

    PRACTITIONER = "practitioner"
    OUTPATIENT_HOSPITAL = "outpatient_hospital"
    DME = "dme"
    INPATIENT = "inpatient"


class Line(NamedTuple):
    """A service line with its 1-based number and the provider who rendered it."""

    number: int
    line: ServiceLine
    date: dt.date
    procedure: str
    modifiers: frozenset[str]
    provider: str

    @property
    def units(self) -> Decimal:
        return self.line.units


def is_inpatient_bill(type_of_bill: str | None) -> bool:
    """Inpatient institutional claim by type of bill (UB-04 FL 4, with or without the leading 0).

    Facility type 1 (hospital), 2 (SNF) or 4 (religious non-medical) with bill classification
    1 (inpatient Part A) or 2 (inpatient Part B), and swing beds (`18x`, `28x`).

    >>> is_inpatient_bill("0111"), is_inpatient_bill("131"), is_inpatient_bill("181"), is_inpatient_bill(None)
    (True, False, True, False)
    """
    if not type_of_bill:
        return False
    digits = type_of_bill.strip().lstrip("0")
    if len(digits) < 2 or not digits[:2].isdigit():
        return False
    facility, classification = digits[0], digits[1]
    return (facility in "124" and classification in "12") or (facility in "12" and classification == "8")


class ClaimContext:
    """A claim, its reference data, the as-of date of the check, and precomputed groupings."""

    __slots__ = ("__dict__", "by_date_provider", "claim", "lines", "on", "ref", "today")

    def __init__(self, claim: Claim, ref: Reference, today: dt.date, on: dt.date | None = None) -> None:
        self.claim = claim
        self.ref = ref
        self.today = today
        self.on = on
        default = claim.rendering_provider.npi if claim.rendering_provider else claim.billing_provider.npi
        lines = []
        groups: dict[tuple[dt.date, str], list[Line]] = {}
        for i, ln in enumerate(claim.lines, start=1):
            line = Line(
                i,
                ln,
                ln.service_date,
                ln.procedure,
                frozenset(ln.modifiers) if ln.modifiers else _NO_MODIFIERS,
                ln.rendering_provider.npi if ln.rendering_provider else default,
            )
            lines.append(line)
            groups.setdefault((line.date, line.provider), []).append(line)
        self.lines: tuple[Line, ...] = tuple(lines)
        self.by_date_provider: dict[tuple[dt.date, str], list[Line]] = groups
        """Lines billed on the same date by the same provider (the unit NCCI edits work on)."""

    def asof(self, service_date: dt.date) -> dt.date:
        """The date reference data is looked up on: the date of service unless the check forces one."""
        return self.on or service_date

    @cached_property
    def service_date(self) -> dt.date | None:
        """The date diagnosis edits use: admission for inpatient claims, else the first line's date."""
        if self.inpatient and self.claim.admission is not None:
            return self.claim.admission.date
        return self.claim.first_service_date

    @cached_property
    def inpatient(self) -> bool:
        return self.claim.type == ClaimType.INSTITUTIONAL and is_inpatient_bill(self.claim.type_of_bill)

    @cached_property
    def setting(self) -> Setting:
        claim = self.claim
        if claim.type == ClaimType.INSTITUTIONAL:
            return Setting.INPATIENT if self.inpatient else Setting.OUTPATIENT_HOSPITAL
        taxonomy = (claim.billing_provider.taxonomy or "").upper()
        if taxonomy.startswith(DME_SUPPLIER_TAXONOMY_PREFIXES):
            return Setting.DME
        return Setting.PRACTITIONER

    def age_on(self, on: dt.date) -> int | None:
        """The patient's age in whole years on a date (None when unknown or before birth)."""
        born = self.claim.person.birth_date
        if born is None or on < born:
            return None
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def place_of_service(self, line: ServiceLine) -> str | None:
        return line.place_of_service or self.claim.place_of_service
