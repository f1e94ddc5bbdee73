"""What a Claim Adjustment Reason Code means for posting and for the denials queue.

The mapping is data (`carc_categories.yaml`, medbill's own short labels). Denial categories:
eligibility, authorization, coding/bundling, medical necessity, timely filing, duplicate, other.
Non-denial categories: patient cost share, contractual reduction, prior payer's adjudication.

>>> table = carc_table()
>>> table.get("45").category, table.get("50").category.denial, table.get("ZZ9").category
(<CarcCategory.CONTRACTUAL: 'contractual'>, True, <CarcCategory.OTHER: 'other'>)
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from medbill.core.errors import DataError


class CarcCategory(StrEnum):
    ELIGIBILITY = "eligibility"
    AUTHORIZATION = "authorization"
    CODING_BUNDLING = "coding_bundling"
    MEDICAL_NECESSITY = "medical_necessity"
    TIMELY_FILING = "timely_filing"
    DUPLICATE = "duplicate"
    OTHER = "other"
    COST_SHARE = "cost_share"
    CONTRACTUAL = "contractual"
    PRIOR_PAYER = "prior_payer"

    @property
    def denial(self) -> bool:
        return self not in (CarcCategory.COST_SHARE, CarcCategory.CONTRACTUAL, CarcCategory.PRIOR_PAYER)


DENIAL_CATEGORIES = tuple(c for c in CarcCategory if c.denial)


@dataclass(frozen=True, slots=True)
class CarcInfo:
    code: str
    category: CarcCategory
    label: str
    listed: bool = True


@dataclass(frozen=True, slots=True)
class CarcTable:
    codes: dict[str, CarcInfo]
    category_labels: dict[CarcCategory, str]

    def get(self, code: str) -> CarcInfo:
        """The meaning of `code`; an unlisted code is a denial of category `other`."""
        key = code.strip().upper()
        found = self.codes.get(key)
        if found is not None:
            return found
        return CarcInfo(key, CarcCategory.OTHER, "reason code not in medbill's table", listed=False)

    def label(self, category: CarcCategory) -> str:
        return self.category_labels[category]


def parse_carc_table(data: Any, *, source: str) -> CarcTable:
    """Build the table from the YAML document's data; `DataError` names what is wrong."""
    try:
        labels = {CarcCategory(name): str(spec["label"]) for name, spec in data["categories"].items()}
        for name, spec in data["categories"].items():
            if bool(spec["denial"]) != CarcCategory(name).denial:
                raise ValueError(f"category {name}: denial flag disagrees with medbill's categories")
        codes = {
            str(code).upper(): CarcInfo(str(code).upper(), CarcCategory(spec["category"]), str(spec["label"]))
            for code, spec in data["codes"].items()
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{source}: not a valid CARC category table ({exc})") from exc
    missing = set(CarcCategory) - set(labels)
    if missing:
        raise DataError(f"{source}: categories without a label: {sorted(missing)}")
    return CarcTable(codes, labels)


@lru_cache(maxsize=1)
def carc_table() -> CarcTable:
    """The CARC table shipped with medbill."""
    text = resources.files("medbill.ar").joinpath("carc_categories.yaml").read_text(encoding="utf-8")
    return parse_carc_table(yaml.safe_load(text), source="medbill/ar/carc_categories.yaml")
