"""Run every pricing case file (tests/pricing/cases/*.yaml) against the engine."""

from typing import Any

import pytest

from medbill.codesets.mpfs_section import Mpfs
from medbill.pricing import Benefits, parse_contract, price_claim

from .casefile import build_claim, load_cases

CASES = load_cases()


@pytest.mark.parametrize(("kind", "case"), [(k, c) for _, k, c in CASES], ids=[i for i, _, _ in CASES])
def test_case(kind: str, case: dict[str, Any], request: pytest.FixtureRequest) -> None:
    mpfs: Mpfs = request.getfixturevalue("real_mpfs" if kind == "real" else "fixture_mpfs")
    contract = parse_contract(case["contract"]) if "contract" in case else None
    benefits = Benefits.model_validate(case["benefits"]) if "benefits" in case else None
    priced, findings = price_claim(build_claim(case["claim"]), kb=mpfs, contract=contract, benefits=benefits)
    data = priced.to_dict()
    rules = {f.rule for f in findings}
    if "allowed" in case:
        assert [line["allowed"] for line in data["lines"]] == [str(a) for a in case["allowed"]], _explain(
            priced
        )
    if "total_allowed" in case:
        assert data["total_allowed"] == str(case["total_allowed"])
    if "patient_responsibility" in case:
        assert data["patient_responsibility"] == str(case["patient_responsibility"])
    if "reduction" in case:
        assert [str(line.reduction) for line in priced.lines] == [str(r) for r in case["reduction"]]
    if "priced" in case:
        assert [line.priced for line in priced.lines] == case["priced"]
    for rule in case.get("findings", []):
        assert rule in rules, f"expected finding {rule}; got {sorted(rules)}"
    for rule in case.get("no_findings", []):
        assert rule not in rules, f"unexpected finding {rule}"
    for expected in case.get("trace", []):
        steps = priced.lines[expected["line"] - 1].trace
        matching = [s for s in steps if s.item == expected["item"]]
        assert matching, f"line {expected['line']}: no trace item {expected['item']!r}"
        if "value" in expected:
            assert str(expected["value"]) in [s.value for s in matching]
        if "note_contains" in expected:
            assert any(expected["note_contains"] in s.note for s in matching)


def _explain(priced: Any) -> str:
    return "\n".join(
        f"line {line.line}: " + "; ".join(f"{s.item}={s.value}" for s in line.trace) for line in priced.lines
    )
