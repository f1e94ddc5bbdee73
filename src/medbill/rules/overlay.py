"""Payer overlays: a payer's policy as data on top of the CMS baseline, never a fork of the rules.

An overlay is a YAML (or JSON) file::

    name: Acme Health commercial plans
    applies_to:                # optional; an overlay given explicitly applies to every claim
      payer_ids: ["60054"]
      payer_types: [commercial]
    rules:
      global.em_minor_procedure: {enabled: false}    # this payer does not apply the rule
      icd10cm.sex: {severity: deny}                  # ...or treats it more strictly
      ncci.mue: {severity: warn, fix: "Acme reviews MUE overrides on appeal."}

Unknown rule ids and severities are input errors, reported with their path like claim files.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from medbill.core.claim import Claim, PayerType
from medbill.core.errors import InputError
from medbill.core.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class RuleOverride:
    enabled: bool = True
    severity: Severity | None = None
    fix: str | None = None


@dataclass(frozen=True, slots=True)
class PayerOverlay:
    name: str
    payer_ids: frozenset[str] = frozenset()
    payer_types: frozenset[PayerType] = frozenset()
    rules: Mapping[str, RuleOverride] = field(default_factory=dict)

    def matches(self, claim: Claim) -> bool:
        """True when the overlay's `applies_to` selects this claim's payer (no selector: all claims)."""
        if not self.payer_ids and not self.payer_types:
            return True
        return claim.payer.id in self.payer_ids or claim.payer.type in self.payer_types

    def apply(self, finding: Finding) -> Finding | None:
        """The finding as this payer sees it (None when the payer does not apply the rule)."""
        override = self.rules.get(finding.rule)
        if override is None:
            return finding
        if not override.enabled:
            return None
        if override.severity is None and override.fix is None:
            return finding
        return Finding(
            rule=finding.rule,
            severity=override.severity or finding.severity,
            message=finding.message,
            lines=finding.lines,
            codes=finding.codes,
            source=finding.source,
            fix=finding.fix if override.fix is None else override.fix,
            path=finding.path,
            extra=(*finding.extra, ("overlay", self.name)),
        )


def merge_overlays(overlays: Iterable[PayerOverlay]) -> PayerOverlay | None:
    """One overlay equivalent to applying `overlays` in order (later ones win per rule)."""
    items = list(overlays)
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    rules: dict[str, RuleOverride] = {}
    for overlay in items:
        for rule_id, override in overlay.rules.items():
            previous = rules.get(rule_id, RuleOverride())
            rules[rule_id] = RuleOverride(
                enabled=override.enabled and previous.enabled,
                severity=override.severity or previous.severity,
                fix=override.fix if override.fix is not None else previous.fix,
            )
    return PayerOverlay(name=" + ".join(o.name for o in items), rules=rules)


def load_overlay(path: str | Path, *, known_rules: Iterable[str] | None = None) -> PayerOverlay:
    """Read an overlay file; `known_rules` (the registry's ids) catches misspelled rule ids."""
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{file}: no such overlay file") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{file}: not a YAML/JSON overlay: {exc}") from None
    return overlay_from_data(data, source=str(file), known_rules=known_rules)


def overlay_from_data(
    data: Any, *, source: str = "<overlay>", known_rules: Iterable[str] | None = None
) -> PayerOverlay:
    """Validate overlay data; every problem is listed with its path."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InputError(f"{source}: an overlay is a mapping with `name` and `rules`")
    known = set(known_rules) if known_rules is not None else None
    for key in data:
        if key not in ("name", "applies_to", "rules", "description"):
            problems.append(f"{key}: unknown field (expected name, description, applies_to, rules)")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("name: required text")
    applies = data.get("applies_to") or {}
    payer_ids: set[str] = set()
    payer_types: set[PayerType] = set()
    if not isinstance(applies, dict):
        problems.append("applies_to: expected a mapping with payer_ids and/or payer_types")
    else:
        for pid in applies.get("payer_ids") or ():
            payer_ids.add(str(pid))
        for i, ptype in enumerate(applies.get("payer_types") or ()):
            try:
                payer_types.add(PayerType(str(ptype)))
            except ValueError:
                problems.append(f"applies_to.payer_types[{i}]: {ptype!r} is not one of {_choices(PayerType)}")
    rules: dict[str, RuleOverride] = {}
    raw_rules = data.get("rules") or {}
    if not isinstance(raw_rules, dict):
        problems.append("rules: expected a mapping of rule id → {enabled, severity, fix}")
        raw_rules = {}
    for rule_id, spec in raw_rules.items():
        where = f"rules.{rule_id}"
        if known is not None and rule_id not in known:
            problems.append(f"{where}: no rule has this id (see `medbill rules list`)")
        if not isinstance(spec, dict):
            problems.append(f"{where}: expected a mapping with enabled, severity and/or fix")
            continue
        override, spec_problems = _override(spec, where)
        problems.extend(spec_problems)
        rules[rule_id] = override
    if problems:
        raise InputError(f"{source}: {len(problems)} problems in the payer overlay", tuple(problems))
    return PayerOverlay(
        name=str(name).strip(),
        payer_ids=frozenset(payer_ids),
        payer_types=frozenset(payer_types),
        rules=rules,
    )


def _override(spec: dict[str, Any], where: str) -> tuple[RuleOverride, list[str]]:
    problems = []
    for key in spec:
        if key not in ("enabled", "severity", "fix"):
            problems.append(f"{where}.{key}: unknown field (expected enabled, severity, fix)")
    enabled = spec.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{where}.enabled: expected true or false")
        enabled = True
    severity = None
    if spec.get("severity") is not None:
        try:
            severity = Severity(str(spec["severity"]))
        except ValueError:
            problems.append(f"{where}.severity: {spec['severity']!r} is not one of {_choices(Severity)}")
    fix = spec.get("fix")
    if fix is not None and not isinstance(fix, str):
        problems.append(f"{where}.fix: expected text")
        fix = None
    return RuleOverride(enabled=enabled, severity=severity, fix=fix), problems


def _choices(enum: Any) -> str:
    return ", ".join(e.value for e in enum)
