"""In-memory reference data from plain mappings: the test fixtures, and the shipped CPT modifier list.

A `StaticReference` file is YAML::

    icd10cm:
      source: {name: ICD-10-CM Tabular (fixture), release: FY2026, effective: 2025-10-01}
      codes:
        E11.9: {billable: true, description: Type 2 diabetes mellitus without complications}
        E11: {billable: false, children: [E11.9, E11.65]}
        G63: {billable: true, code_first: true}
        O80: {billable: true, sex: F}
        K50.00: {billable: true, excludes1: [K51]}
    mce: {source: {...}, age: {P07.30: [4A Newborn, 0, 0]}, manifestation: [G63], unacceptable_principal: [Z00.00]}
    hcpcs: {source: {...}, release: [2025-10-01, 2025-12-31], codes: {G0439: [2011-01-01, null]}}
    hcpcs_modifiers: {codes: {XS: [2015-01-01, null]}}
    pos: {codes: {"11": [null, null]}}
    mpfs: {source: {...}, global_days: {"20610": "000"}}

Code entries are `[added, terminated]` (either may be null) or `{}`.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from medbill.core.claim import Sex
from medbill.core.dates import EffectiveRange
from medbill.core.findings import Source
from medbill.rules.reference import AgeEdit, CodeStatus, DxInfo, Reference


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _source(data: Mapping[str, Any] | None, default: str) -> Source:
    data = data or {}
    return Source(
        name=str(data.get("name", default)),
        release=str(data.get("release", "")),
        effective=str(data.get("effective", "")),
    )


@dataclass(frozen=True)
class StaticCodeList:
    """A dated code list held in a dict: code → (added, terminated)."""

    codes: Mapping[str, tuple[dt.date | None, dt.date | None]]
    source: Source
    release: EffectiveRange | None = None

    def status(self, code: str, on: dt.date) -> CodeStatus:
        dates = self.codes.get(code)
        if dates is None:
            return CodeStatus(code, False, self.source, release=self.release)
        return CodeStatus(code, True, self.source, dates[0], dates[1], self.release)

    def __post_init__(self) -> None:
        # the answer does not depend on the date (the rules compare it): keep one per code
        cached = lru_cache(maxsize=65536)(self.status)
        object.__setattr__(self, "status", cached)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("status", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @classmethod
    def from_data(cls, data: Mapping[str, Any], default_name: str) -> "StaticCodeList":
        codes: dict[str, tuple[dt.date | None, dt.date | None]] = {}
        for code, spec in (data.get("codes") or {}).items():
            if isinstance(spec, (list, tuple)):
                codes[str(code)] = (_date(spec[0]), _date(spec[1]) if len(spec) > 1 else None)
            else:
                spec = spec or {}
                codes[str(code)] = (_date(spec.get("added")), _date(spec.get("terminated")))
        release = data.get("release")
        return cls(
            codes=codes,
            source=_source(data.get("source"), default_name),
            release=EffectiveRange(_date(release[0]) or dt.date.min, _date(release[1])) if release else None,
        )


@dataclass(frozen=True)
class StaticIcd10cm:
    codes: Mapping[str, DxInfo]
    source_: Source
    valid: Mapping[str, EffectiveRange] = field(default_factory=dict)

    def get(self, code: str, on: dt.date) -> DxInfo | None:
        span = self.valid.get(code)
        if span is not None and not span.contains(on):
            return None
        return self.codes.get(code)

    def source(self, on: dt.date) -> Source:
        return self.source_

    def covers(self, on: dt.date) -> bool:
        return True

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "StaticIcd10cm":
        source = _source(data.get("source"), "ICD-10-CM Tabular List")
        codes = {}
        valid = {}
        for code, spec in (data.get("codes") or {}).items():
            spec = spec or {}
            if spec.get("valid"):
                start, end = spec["valid"]
                valid[str(code)] = EffectiveRange(_date(start) or dt.date.min, _date(end))
            codes[str(code)] = DxInfo(
                code=str(code),
                billable=bool(spec.get("billable", True)),
                source=source,
                description=str(spec.get("description", "")),
                children=tuple(spec.get("children", ())),
                excludes1=tuple(spec.get("excludes1", ())),
                code_first=bool(spec.get("code_first", False)),
                sex=Sex(spec["sex"]) if spec.get("sex") else None,
            )
        return cls(codes, source, valid)


@dataclass(frozen=True)
class StaticMce:
    source_: Source
    age: Mapping[str, AgeEdit] = field(default_factory=dict)
    manifestation: frozenset[str] = frozenset()
    unacceptable_principal: frozenset[str] = frozenset()

    def source(self, on: dt.date) -> Source:
        return self.source_

    def age_edit(self, code: str, on: dt.date) -> AgeEdit | None:
        return self.age.get(code)

    def is_manifestation(self, code: str, on: dt.date) -> bool:
        return code in self.manifestation

    def is_unacceptable_principal(self, code: str, on: dt.date) -> bool:
        return code in self.unacceptable_principal

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "StaticMce":
        return cls(
            source_=_source(data.get("source"), "CMS Definitions of Medicare Code Edits"),
            age={
                str(c): AgeEdit(str(v[0]), int(v[1]), int(v[2])) for c, v in (data.get("age") or {}).items()
            },
            manifestation=frozenset(map(str, data.get("manifestation") or ())),
            unacceptable_principal=frozenset(map(str, data.get("unacceptable_principal") or ())),
        )


@dataclass(frozen=True)
class StaticGlobalDays:
    days: Mapping[str, str]
    source: Source

    def global_days(self, code: str, on: dt.date) -> tuple[str, Source] | None:
        value = self.days.get(code)
        return (value, self.source) if value is not None else None


def cpt_modifiers() -> StaticCodeList:
    """The CPT (Level I) modifier numbers, shipped with medbill (numbers only, no descriptors)."""
    text = resources.files("medbill.rules").joinpath("data/cpt_modifiers.yaml").read_text(encoding="utf-8")
    return StaticCodeList.from_data(yaml.safe_load(text), "AMA CPT modifiers")


def static_reference(data: Mapping[str, Any]) -> Reference:
    """A `Reference` from a mapping laid out as in this module's docstring (parts may be absent)."""
    ref = Reference(cpt_modifiers=cpt_modifiers())
    if "icd10cm" in data:
        ref.icd10cm = StaticIcd10cm.from_data(data["icd10cm"])
    if "mce" in data:
        ref.mce = StaticMce.from_data(data["mce"])
    for part, name in (
        ("hcpcs", "CMS HCPCS Level II"),
        ("hcpcs_modifiers", "CMS HCPCS Level II modifiers"),
        ("cpt", "AMA CPT"),
        ("pcs", "CMS ICD-10-PCS"),
        ("pos", "CMS Place of Service code set"),
    ):
        if part in data:
            setattr(ref, part, StaticCodeList.from_data(data[part], name))
    if "mpfs" in data:
        mpfs = data["mpfs"]
        ref.mpfs = StaticGlobalDays(
            {str(k): str(v) for k, v in (mpfs.get("global_days") or {}).items()},
            _source(mpfs.get("source"), "CMS MPFS relative value file"),
        )
    return ref


def load_static_reference(path: str | Path) -> Reference:
    return static_reference(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
