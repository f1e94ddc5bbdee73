"""Rule case files: a claim (or a patch on a base claim) and the findings a billing analyst expects.

A case file (`tests/rules/cases/**/*.yaml`)::

    rule: ncci.ptp                  # the rule(s) this file is about
    base: office_visit              # base claim in tests/rules/bases/ (per case too)
    today: 2026-06-30               # the day the check is made (default 2026-06-30)
    data: fixture                   # fixture (default); mirror: real CMS MUE/AOC/MPFS files;
                                    # kb: the real knowledge base (code sets, MCE, NCCI sections)
    cases:
      - name: indicator 1 pair without a modifier is denied
        patch:                      # JSON paths into the base claim; [n] past the end appends
          lines[1]: {procedure: "20610", charge: 150, service_date: 2026-04-14}
          lines[0].modifiers: ["25"]
        remove: [rendering_provider]
        expect:                     # every warn/deny/reject finding, exactly; info ones when listed
          - {rule: ncci.ptp, severity: deny, lines: [1]}

Other case keys: `claim` (a whole claim instead of base + patch), `overlay` (an inline payer
overlay), `as_of` (force reference data as of a date), `reference` (`drop: [part]` or `add: {part:
data}` to change the fixture reference), `error` (the claim must fail to load; text expected in
the message). `lines`, `codes` and `message` (a substring) are compared only when given.
"""

import copy
import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .claims import _plain, load_base

CASE_DIR = Path(__file__).parent / "cases"
DEFAULT_TODAY = dt.date(2026, 6, 30)
_TOKEN = re.compile(r"[^.\[\]]+|\[\d+\]")


@dataclass
class Case:
    file: Path
    name: str
    claim: dict[str, Any]
    expect: list[dict[str, Any]]
    today: dt.date
    data: str = "fixture"
    overlay: dict[str, Any] | None = None
    on: dt.date | None = None
    reference: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    rules: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.file.relative_to(CASE_DIR).with_suffix('')}::{self.name}"


def load_cases(directory: Path = CASE_DIR) -> list[Case]:
    cases = []
    for path in sorted(directory.rglob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in spec["cases"]:
            cases.append(_case(path, spec, raw))
    return cases


def _case(path: Path, spec: dict[str, Any], raw: dict[str, Any]) -> Case:
    unknown = set(raw) - {
        "name",
        "base",
        "claim",
        "patch",
        "remove",
        "expect",
        "overlay",
        "as_of",
        "reference",
        "error",
        "today",
    }
    if unknown:
        raise ValueError(f"{path}: case {raw.get('name')!r} has unknown keys {sorted(unknown)}")
    if "claim" in raw:
        claim = _plain(copy.deepcopy(raw["claim"]))
    else:
        claim = load_base(raw.get("base") or spec["base"])
    for key, value in (raw.get("patch") or {}).items():
        set_path(claim, key, _plain(value))
    for key in raw.get("remove") or ():
        remove_path(claim, key)
    today = raw.get("today") or spec.get("today") or DEFAULT_TODAY
    rules = spec.get("rule") or ()
    return Case(
        file=path,
        name=str(raw["name"]),
        claim=claim,
        expect=list(raw.get("expect") or ()),
        today=today,
        data=spec.get("data", "fixture"),
        overlay=raw.get("overlay"),
        on=raw.get("as_of"),
        reference=raw.get("reference") or {},
        error=raw.get("error"),
        rules=(rules,) if isinstance(rules, str) else tuple(rules),
    )


def _tokens(path: str) -> list[str | int]:
    return [int(t[1:-1]) if t.startswith("[") else t for t in _TOKEN.findall(path)]


def set_path(data: Any, path: str, value: Any) -> None:
    """Set `value` at a JSON path, creating objects on the way; index == length appends."""
    tokens = _tokens(path)
    target = data
    for token, following in itertools.pairwise(tokens):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(token, int):
            if token == len(target):
                target.append(empty)
            target = target[token]
        else:
            target = target.setdefault(token, empty)
    last = tokens[-1]
    if isinstance(last, int) and last == len(target):
        target.append(value)
    else:
        target[last] = value


def remove_path(data: Any, path: str) -> None:
    tokens = _tokens(path)
    target = data
    for token in tokens[:-1]:
        target = target[token]
    del target[tokens[-1]]


def matches(expected: dict[str, Any], finding: dict[str, Any]) -> bool:
    """True when a finding (as JSON) satisfies an expectation."""
    if expected["rule"] != finding["rule"]:
        return False
    if "severity" in expected and expected["severity"] != finding["severity"]:
        return False
    if "lines" in expected and sorted(expected["lines"]) != sorted(finding["lines"]):
        return False
    if "codes" in expected and sorted(expected["codes"]) != sorted(finding["codes"]):
        return False
    return not ("message" in expected and expected["message"].lower() not in finding["message"].lower())


def compare(expect: list[dict[str, Any]], findings: list[dict[str, Any]]) -> list[str]:
    """Differences between expected and actual findings (empty when the case passes).

    Every expectation must match a distinct finding; every warn/deny/reject finding must be expected.
    """
    remaining = list(findings)
    problems = []
    for expected in expect:
        hit = next((f for f in remaining if matches(expected, f)), None)
        if hit is None:
            problems.append(f"missing: {expected}")
        else:
            remaining.remove(hit)
    for finding in remaining:
        if finding["severity"] != "info":
            problems.append(
                f"unexpected: {finding['rule']} {finding['severity']} lines={finding['lines']} {finding['message']}"
            )
    return problems
