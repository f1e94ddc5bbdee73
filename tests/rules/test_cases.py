"""Runs every rule case file, and fails when a registered rule has no case that makes it fire."""

import copy

import pytest
import yaml

from medbill.core.claimfile import claim_from_data
from medbill.core.errors import InputError
from medbill.rules import Scrubber, default_registry
from medbill.rules.overlay import overlay_from_data
from medbill.rules.static import static_reference

from .casefile import Case, compare, load_cases
from .conftest import FIXTURES

CASES = load_cases()


def _scrubber_for(case: Case, request: pytest.FixtureRequest) -> Scrubber:
    fixture = {"mirror": "mirror_scrubber", "kb": "kb_scrubber"}.get(case.data, "scrubber")
    base: Scrubber = request.getfixturevalue(fixture)
    if not case.reference and case.on is None:
        return base
    reference = base.reference
    if case.reference:
        data = yaml.safe_load((FIXTURES / "reference.yaml").read_text(encoding="utf-8"))
        data.update(copy.deepcopy(case.reference.get("add") or {}))
        for part in case.reference.get("drop") or ():
            data.pop(part, None)
        reference = static_reference(data)
        reference.ncci = None if "ncci" in (case.reference.get("drop") or ()) else base.reference.ncci
    return Scrubber(reference, base.registry, on=case.on)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c.id, marks=[pytest.mark.realdata] if c.data in ("mirror", "kb") else [])
        for c in CASES
    ],
)
def test_case(case: Case, request: pytest.FixtureRequest) -> None:
    if case.error is not None:
        with pytest.raises(InputError) as caught:
            claim_from_data(case.claim, source=case.name)
        assert case.error.lower() in str(caught.value).lower()
        return
    claim = claim_from_data(case.claim, source=case.name)
    scrubber = _scrubber_for(case, request)
    overlay = overlay_from_data(case.overlay, known_rules=scrubber.registry.rules) if case.overlay else None
    findings = [f.to_dict() for f in scrubber.check(claim, today=case.today, overlay=overlay)]
    problems = compare(case.expect, findings)
    assert not problems, "\n".join(problems)


def test_every_registered_rule_has_a_case_that_fires_it() -> None:
    fired = {e["rule"] for case in CASES for e in case.expect}
    missing = [rule.id for rule in default_registry() if rule.id not in fired]
    assert not missing, f"rules without a case file expecting them: {missing}"


def test_every_registered_rule_has_a_clean_case() -> None:
    """Each rule also has a case in its file where it does not fire (so a rule that always fires fails)."""
    by_rule: dict[str, bool] = {}
    for case in CASES:
        if case.error is not None:
            continue
        covered = {e["rule"] for e in case.expect}
        for rule_id in case.rules:
            if rule_id not in covered:
                by_rule[rule_id] = True
    missing = [rule.id for rule in default_registry() if not by_rule.get(rule.id)]
    assert not missing, f"rules without a passing (no finding) case in their file: {missing}"
