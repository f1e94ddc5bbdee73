"""Which claim adjustment (group, CARC, RARCs) the sandbox payer uses to deny a line for a finding.

The table is content (`denials.yaml`, with the sources of each choice); this module only looks
it up: the finding's exact rule id, else the longest prefix ending in ".", else the default.

>>> denial_for("ncci.mue").carc, denial_for("ncci.mue").rarcs
('151', ('N362',))
>>> denial_for("structure.tax_id").carc
'16'
"""

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from medbill.core.claim import AdjustmentGroup


@dataclass(frozen=True, slots=True)
class Denial:
    """A line denial: CAS group and reason (CARC), LQ remark codes (RARC), and its precedence."""

    group: AdjustmentGroup
    carc: str
    rarcs: tuple[str, ...] = ()
    priority: int = 90


def _denial(entry: dict[str, Any]) -> Denial:
    return Denial(
        group=AdjustmentGroup(entry["group"]),
        carc=str(entry["carc"]),
        rarcs=tuple(str(code) for code in entry.get("rarc", ())),
        priority=int(entry.get("priority", 90)),
    )


@cache
def _table() -> tuple[dict[str, Denial], Denial]:
    text = resources.files("medbill.pricing.sandbox").joinpath("denials.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {str(key): _denial(value) for key, value in data["denials"].items()}, _denial(data["default"])


def denial_for(rule: str) -> Denial:
    """The denial for a finding's rule id."""
    table, default = _table()
    if rule in table:
        return table[rule]
    prefixes = [key for key in table if key.endswith(".") and rule.startswith(key)]
    return table[max(prefixes, key=len)] if prefixes else default
