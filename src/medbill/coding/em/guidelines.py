"""The E/M guidelines as data: codes, time minimums and MDM scales read from `coding/data/em.yaml`.

Levels are ordinals 0–3 throughout: position on `mdm_levels` (straightforward … high) and on each
element's own scale (problems minimal … high, data minimal … extensive, risk minimal … high).

>>> g = Guidelines.default()
>>> g.code_for("established", 2), g.minutes("new", 3)
('99214', 60)
>>> g.element_level("data", "limited")
1
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

import yaml

from medbill.core.errors import DataError, InputError

ELEMENTS = ("problems", "data", "risk")


class Patient(StrEnum):
    NEW = "new"
    ESTABLISHED = "established"


class Basis(StrEnum):
    TIME = "time"
    MDM = "mdm"


@dataclass(frozen=True)
class LevelCode:
    code: str
    mdm: int  # ordinal on mdm_levels
    minutes: int  # total time that meets this level (2024+: met or exceeded)
    range_2021: tuple[int, int]


@dataclass(frozen=True)
class Prolonged:
    code: str
    minutes: int  # total time from which one unit may be added
    payer: str


@dataclass(frozen=True)
class Guidelines:
    name: str
    mdm_levels: tuple[str, ...]
    scales: dict[str, tuple[str, ...]]
    codes: dict[Patient, tuple[LevelCode, ...]]
    prolonged: dict[Patient, tuple[Prolonged, ...]]
    not_selected: dict[str, str]
    raw: dict[str, Any]  # the whole file, for the note reader's cues

    @classmethod
    @cache
    def default(cls) -> "Guidelines":
        text = resources.files("medbill.coding").joinpath("data/em.yaml").read_text(encoding="utf-8")
        return cls.from_data(yaml.safe_load(text))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Guidelines":
        try:
            levels = tuple(str(v) for v in data["mdm_levels"])
            scales = {name: tuple(str(v) for v in data["elements"][name]) for name in ELEMENTS}
            codes: dict[Patient, tuple[LevelCode, ...]] = {}
            prolonged: dict[Patient, tuple[Prolonged, ...]] = {}
            for patient in Patient:
                block = data["patients"][patient.value]
                codes[patient] = tuple(
                    LevelCode(
                        code=str(c["code"]),
                        mdm=levels.index(c["mdm"]),
                        minutes=int(c["minutes"]),
                        range_2021=(int(c["range_2021"][0]), int(c["range_2021"][1])),
                    )
                    for c in block["codes"]
                )
                prolonged[patient] = tuple(
                    Prolonged(str(p["code"]), int(p["minutes"]), str(p["payer"]))
                    for p in block.get("prolonged") or ()
                )
            not_selected = {str(k): str(v) for k, v in (data.get("not_selected") or {}).items()}
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"em.yaml: malformed E/M guideline data ({exc!r})") from None
        for patient, rows in codes.items():
            if [r.mdm for r in rows] != list(range(len(levels))):
                raise DataError(f"em.yaml: {patient.value} codes must list one code per MDM level, in order")
            if any(a.minutes >= b.minutes for a, b in pairwise(rows)):
                raise DataError(f"em.yaml: {patient.value} time minimums must rise with the level")
        if any(len(s) != len(levels) for s in scales.values()):
            raise DataError("em.yaml: every MDM element needs one value per MDM level")
        return cls(str(data.get("guideline", "")), levels, scales, codes, prolonged, not_selected, data)

    # -- lookups ---------------------------------------------------------------------------------
    def code_for(self, patient: Patient | str, mdm: int) -> str:
        return self.codes[patient_of(patient)][mdm].code

    def minutes(self, patient: Patient | str, mdm: int) -> int:
        return self.codes[patient_of(patient)][mdm].minutes

    def time_level(self, patient: Patient | str, minutes: float) -> int | None:
        """The highest level whose minimum `minutes` meets, or None below the lowest."""
        met = [r.mdm for r in self.codes[patient_of(patient)] if minutes >= r.minutes]
        return max(met) if met else None

    def element_level(self, element: str, value: str | int | None) -> int:
        """Ordinal of an element's value (`"limited"` → 1); InputError naming the allowed values."""
        if element not in self.scales:
            raise InputError(f"unknown MDM element {element!r}; expected one of {', '.join(ELEMENTS)}")
        scale = self.scales[element]
        if isinstance(value, int) and not isinstance(value, bool):
            if 0 <= value < len(scale):
                return value
        elif isinstance(value, str) and value.strip().lower() in scale:
            return scale.index(value.strip().lower())
        raise InputError(f"{element}: {value!r} is not a level; expected one of {', '.join(scale)}")

    def data_level(
        self, tests_and_documents: int, historian: bool, interpretation: bool, discussion: bool
    ) -> int:
        """Ordinal of the data element from what was counted.

        Category 1 is unique tests plus external sources (plus an independent historian from
        moderate up); category 2 an independent interpretation; category 3 a discussion with an
        external physician. The thresholds are `data_rules` in the data.

        >>> g = Guidelines.default()
        >>> g.data_level(2, False, False, False), g.data_level(2, True, False, False), g.data_level(3, False, True, False)
        (1, 2, 3)
        """
        rules = self.raw["data_rules"]
        category_1 = tests_and_documents + (1 if historian else 0)
        categories = sum((category_1 >= int(rules["moderate"]["category_1"]), interpretation, discussion))
        if categories >= int(rules["extensive"]["categories"]):
            return 3
        if categories:
            return 2
        limited = rules["limited"]
        if tests_and_documents >= int(limited["tests_and_documents"]) or (
            historian and bool(limited["historian"])
        ):
            return 1
        return 0


def patient_of(value: Patient | str) -> Patient:
    """`Patient` from its name; InputError for anything else."""
    try:
        return Patient(str(value).strip().lower())
    except ValueError:
        raise InputError(f"patient must be 'new' or 'established', not {value!r}") from None
