"""The rule registry: the one extension point every rule pack uses, built-in or payer-specific.

A rule is a function of a `ClaimContext` that yields findings, plus what a biller needs to trust it:
a stable id (`ncci.ptp`), a title, the source it implements (publisher, release), the dates it is in
force, the reference data it needs and the claim types it applies to.

A pack is a module with `register(registry)`. The built-in packs (`medbill.rules.builtin`,
`medbill.rules.ncci`) are loaded that way, and so is any installed distribution that declares an
entry point in the group `medbill.rules`::

    [project.entry-points."medbill.rules"]
    acme = "acme_rules:register"
"""

import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from medbill.core.claim import ClaimType
from medbill.core.dates import EffectiveRange
from medbill.core.findings import Finding, Severity, Source

if TYPE_CHECKING:
    from medbill.rules.context import ClaimContext

ENTRY_POINT_GROUP = "medbill.rules"
BUILTIN_PACKS = ("medbill.rules.builtin", "medbill.rules.ncci")
ALL_CLAIM_TYPES = frozenset(ClaimType)
ALWAYS = EffectiveRange(dt.date(1900, 1, 1))

CheckFunction = Callable[["ClaimContext", "Rule"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One edit. `check(ctx, rule)` yields findings; `rule.finding(...)` builds them with its id."""

    id: str
    title: str
    source: Source
    severity: Severity
    check: CheckFunction
    pack: str
    effective: EffectiveRange = ALWAYS
    needs: tuple[str, ...] = ()
    claim_types: frozenset[ClaimType] = ALL_CLAIM_TYPES
    fix: str = ""
    description: str = ""

    def finding(
        self,
        message: str,
        *,
        lines: Iterable[int] = (),
        codes: Iterable[str] = (),
        severity: Severity | None = None,
        fix: str | None = None,
        source: Source | None = None,
        path: str = "",
    ) -> Finding:
        """A finding of this rule; severity, fix and source default to the rule's own."""
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            message=message,
            lines=tuple(sorted(set(lines))),
            codes=tuple(dict.fromkeys(codes)),
            source=source or self.source,
            fix=self.fix if fix is None else fix,
            path=path,
        )

    def describe(self) -> dict[str, object]:
        """What `medbill rules list --json` prints for this rule."""
        return {
            "id": self.id,
            "title": self.title,
            "pack": self.pack,
            "severity": self.severity.value,
            "source": self.source.to_dict(),
            "effective": {
                "start": self.effective.start.isoformat() if self.effective != ALWAYS else None,
                "end": self.effective.end.isoformat() if self.effective.end else None,
            },
            "needs": list(self.needs),
            "claim_types": sorted(t.value for t in self.claim_types),
            "fix": self.fix,
            "description": self.description,
        }


@dataclass
class Registry:
    """Rules by id, in registration order (which is also the order findings are reported in)."""

    rules: dict[str, Rule] = field(default_factory=dict)
    packs: list[str] = field(default_factory=list)

    def add(self, rule: Rule) -> Rule:
        if rule.id in self.rules:
            raise ValueError(f"rule {rule.id!r} is registered twice")
        self.rules[rule.id] = rule
        return rule

    def rule(
        self,
        id: str,
        *,
        title: str,
        source: Source,
        severity: Severity,
        pack: str,
        effective: EffectiveRange = ALWAYS,
        needs: tuple[str, ...] = (),
        claim_types: Iterable[ClaimType] = ALL_CLAIM_TYPES,
        fix: str = "",
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Decorator registering a check function; its docstring becomes the rule's description."""

        def decorate(check: CheckFunction) -> CheckFunction:
            self.add(
                Rule(
                    id=id,
                    title=title,
                    source=source,
                    severity=severity,
                    check=check,
                    pack=pack,
                    effective=effective,
                    needs=needs,
                    claim_types=frozenset(claim_types),
                    fix=fix,
                    description=" ".join((check.__doc__ or "").split()),
                )
            )
            return check

        return decorate

    def extend(self, rules: Iterable[Rule]) -> None:
        """Add every rule of another registry (how a pack module hands its rules over)."""
        for rule in rules:
            self.add(rule)

    def load_pack(self, module_name: str) -> None:
        """Import a pack module and call its `register(registry)`."""
        module = importlib.import_module(module_name)
        module.register(self)
        self.packs.append(module_name)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def __len__(self) -> int:
        return len(self.rules)

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.rules


def default_registry(*, plugins: bool = True) -> Registry:
    """A registry with the built-in packs and (when `plugins`) every installed `medbill.rules` pack."""
    registry = Registry()
    for name in BUILTIN_PACKS:
        registry.load_pack(name)
    if plugins:
        for entry in entry_points(group=ENTRY_POINT_GROUP):
            register = entry.load()
            register(registry)
            registry.packs.append(entry.value)
    return registry
