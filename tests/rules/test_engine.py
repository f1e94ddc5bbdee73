"""The engine: packs register through the registry, rules never crash a check, overlays, dates."""

import datetime as dt
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from medbill.core.claim import Claim
from medbill.core.claimfile import claim_from_data
from medbill.core.dates import EffectiveRange
from medbill.core.errors import InputError
from medbill.core.findings import Finding, Severity, Source
from medbill.rules import RULE_ERROR, Registry, Rule, Scrubber, check_claim, default_registry
from medbill.rules.context import ClaimContext
from medbill.rules.overlay import load_overlay, overlay_from_data

from .claims import load_base

TODAY = dt.date(2026, 6, 30)


def office(**changes: object) -> Claim:
    data = load_base("office_visit")
    data.update(changes)
    return claim_from_data(data)


def _boom(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    raise ZeroDivisionError("a defect")
    yield  # pragma: no cover


def _every_line(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    for line in ctx.lines:
        yield rule.finding(f"line {line.number}", lines=(line.number,))


def test_a_rule_that_crashes_becomes_a_finding_and_the_others_still_run(scrubber: Scrubber) -> None:
    registry = default_registry()
    registry.add(Rule("test.boom", "Crashes", Source("test"), Severity.DENY, _boom, pack="test"))
    data = load_base("office_visit")
    data["lines"][0]["units"] = 0
    findings = Scrubber(scrubber.reference, registry).check(claim_from_data(data), today=TODAY)
    crash = [f for f in findings if f.rule == RULE_ERROR]
    assert len(crash) == 1
    assert "test.boom" in crash[0].message
    assert crash[0].severity == Severity.WARN
    assert "structure.units" in {f.rule for f in findings}


def test_a_pack_registers_like_the_builtin_ones() -> None:
    registry = Registry()
    registry.load_pack("medbill.rules.ncci")
    assert [r.id for r in registry] == ["ncci.ptp", "ncci.mue", "ncci.aoc"]
    with pytest.raises(ValueError, match="registered twice"):
        registry.load_pack("medbill.rules.ncci")


def test_a_rule_applies_only_to_lines_in_its_effective_range(scrubber: Scrubber) -> None:
    registry = Registry()
    registry.add(
        Rule(
            "test.q2",
            "Only in Q2",
            Source("test"),
            Severity.WARN,
            _every_line,
            pack="test",
            effective=EffectiveRange(dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        )
    )
    data = load_base("office_visit")
    data["lines"].append({**data["lines"][0], "service_date": "2026-03-20"})
    findings = Scrubber(scrubber.reference, registry).check(claim_from_data(data), today=TODAY)
    assert [f.lines for f in findings] == [(1,)]
    data["lines"] = data["lines"][1:]
    assert Scrubber(scrubber.reference, registry).check(claim_from_data(data), today=TODAY) == []


def test_overlays_apply_to_the_payers_they_name(scrubber: Scrubber) -> None:
    overlay = overlay_from_data(
        {
            "name": "Acme",
            "applies_to": {"payer_types": ["commercial"]},
            "rules": {"structure.charge": {"enabled": False}},
        },
        known_rules=scrubber.registry.rules,
    )
    with_overlay = Scrubber(scrubber.reference, scrubber.registry, overlays=[overlay])
    data = load_base("office_visit")
    data["lines"][0]["charge"] = 0
    medicare = claim_from_data(data)
    data["payer"]["type"] = "commercial"
    commercial = claim_from_data(data)
    assert "structure.charge" in {f.rule for f in with_overlay.check(medicare, today=TODAY)}
    assert "structure.charge" not in {f.rule for f in with_overlay.check(commercial, today=TODAY)}


def test_overlay_files_report_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "rules:\n  ncci.ptp: {severity: fatal, colour: red}\n  nope.rule: {enabled: maybe}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_overlay(path, known_rules=default_registry().rules)
    problems = "\n".join(caught.value.problems)
    for text in (
        "name: required",
        "severity: 'fatal'",
        "colour: unknown",
        "nope.rule: no rule",
        "enabled: expected",
    ):
        assert text in problems


def test_the_scrubber_pickles_for_dask_workers(scrubber: Scrubber) -> None:
    claim = office()
    copy = pickle.loads(pickle.dumps(scrubber))
    assert [f.to_dict() for f in copy.check(claim, today=TODAY)] == [
        f.to_dict() for f in scrubber.check(claim, today=TODAY)
    ]


def test_check_claim_is_the_one_call_api(scrubber: Scrubber) -> None:
    data = load_base("office_visit")
    data["lines"][0]["procedure"] = "97110"
    data["lines"].append({**data["lines"][0], "procedure": "97530"})
    claim = claim_from_data(data)
    assert check_claim(claim, scrubber=scrubber, today=TODAY) == scrubber.check(claim, today=TODAY)
    later = check_claim(claim, scrubber=scrubber, on=dt.date(2026, 7, 1), today=TODAY)
    assert "ncci.ptp" in {f.rule for f in later}


def test_findings_serialise_with_the_public_fields(scrubber: Scrubber) -> None:
    data = load_base("office_visit")
    data["diagnoses"] = ["G63", "E11.9"]
    finding = next(
        f for f in scrubber.check(claim_from_data(data), today=TODAY) if f.severity != Severity.INFO
    )
    assert list(finding.to_dict())[:7] == ["rule", "severity", "message", "lines", "codes", "source", "fix"]
    assert finding.to_dict()["source"]["release"] == "v43.1"


def test_the_documented_example_overlay_loads_and_applies_to_commercial_claims(scrubber: Scrubber) -> None:
    overlay = load_overlay(
        Path(__file__).parents[2] / "docs" / "overlays" / "commercial-example.yaml",
        known_rules=scrubber.registry.rules,
    )
    with_overlay = Scrubber(scrubber.reference, scrubber.registry, overlays=[overlay])
    data = load_base("office_visit")
    data["lines"].append({**data["lines"][0], "procedure": "17110", "charge": "95"})
    data["diagnoses"] = ["C61", "I10"]
    medicare = claim_from_data(data)
    data["payer"]["type"] = "commercial"
    commercial = claim_from_data(data)
    medicare_rules = {(f.rule, f.severity) for f in with_overlay.check(medicare, today=TODAY)}
    commercial_rules = {(f.rule, f.severity) for f in with_overlay.check(commercial, today=TODAY)}
    assert ("global.em_minor_procedure", Severity.DENY) in medicare_rules
    assert ("icd10cm.sex", Severity.WARN) in medicare_rules
    assert "global.em_minor_procedure" not in {rule for rule, _ in commercial_rules}
    assert ("icd10cm.sex", Severity.DENY) in commercial_rules
