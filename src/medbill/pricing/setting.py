"""Facility or non-facility: which practice-expense RVUs apply to a place of service.

The list of facility places of service is content (`data/facility_pos.yaml`, with its source).

>>> setting_for("11").value, setting_for("22").value, setting_for(None).value
('non-facility', 'facility', 'non-facility')
"""

from enum import StrEnum
from functools import cache
from importlib import resources

import yaml


class Setting(StrEnum):
    FACILITY = "facility"
    NON_FACILITY = "non-facility"


@cache
def facility_places() -> tuple[frozenset[str], str]:
    """The facility POS codes and the source that lists them."""
    text = resources.files("medbill.pricing").joinpath("data/facility_pos.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return frozenset(str(code).zfill(2) for code in data["facility"]), str(data["source"])


def setting_for(place_of_service: str | None) -> Setting:
    """The MPFS setting of a place of service; no place of service is priced as non-facility."""
    if place_of_service and place_of_service.strip().zfill(2) in facility_places()[0]:
        return Setting.FACILITY
    return Setting.NON_FACILITY
