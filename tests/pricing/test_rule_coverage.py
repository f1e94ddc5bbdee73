"""Every finding pricing can raise has a case that raises it (tests/pricing/cases)."""

import re
from pathlib import Path

import medbill.pricing

from .casefile import load_cases


def test_every_pricing_rule_has_a_case() -> None:
    package = Path(medbill.pricing.__file__).parent
    rules = {
        match
        for path in package.rglob("*.py")
        for match in re.findall(r'"(pricing\.[a-z][a-z0-9-]+)"', path.read_text(encoding="utf-8"))
    }
    covered = {rule for _, _, case in load_cases() for rule in case.get("findings", [])}
    assert rules, "no pricing rule ids found"
    assert rules - covered == set()
