"""The scrubber: runs the registered rules over a claim with the reference data in force.

`Scrubber` holds the loaded tables (picklable, so a Dask worker can receive one) and checks claims
one at a time. It never raises on user data: a rule that fails on an odd claim becomes a
`scrubber.rule_error` finding naming the rule (and is a bug to fix), the other rules still run.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from medbill.core.claim import Claim, ClaimType
from medbill.core.findings import Finding, Severity, Source
from medbill.rules.context import ClaimContext
from medbill.rules.overlay import PayerOverlay, RuleOverride, merge_overlays
from medbill.rules.reference import Reference
from medbill.rules.registry import ALWAYS, Registry, Rule, default_registry

log = logging.getLogger(__name__)
_ON = RuleOverride()

ENGINE_SOURCE = Source(name="medbill claim scrubber")
RULE_ERROR = "scrubber.rule_error"
NOT_CHECKED = "scrubber.not_checked"
INVALID_CLAIM = "claim.invalid"
ENGINE_FINDINGS = {
    NOT_CHECKED: "info: edits skipped because their reference data is not installed (named in the message)",
    RULE_ERROR: "warn: an edit failed on this claim (a medbill defect); the other edits still ran",
    INVALID_CLAIM: "reject: a claim in a batch could not be read; the message lists every problem with its JSON path",
}


class Scrubber:
    """Checks claims against a registry of rules, reference data and payer overlays.

    `on` forces every reference lookup to one date (e.g. "would this pass next quarter?");
    by default each line is checked against the data in force on its own date of service.
    """

    def __init__(
        self,
        reference: Reference,
        registry: Registry | None = None,
        *,
        overlays: Sequence[PayerOverlay] = (),
        on: dt.date | None = None,
    ) -> None:
        self.reference = reference
        self.registry = registry if registry is not None else default_registry()
        self.overlays = tuple(overlays)
        self.on = on
        self._plans: dict[tuple[ClaimType, int], tuple[list[Rule], list[tuple[Rule, tuple[str, ...]]]]] = {}
        self._not_checked: dict[tuple[ClaimType, int], Finding] = {}

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(self.registry)

    def check(
        self,
        claim: Claim,
        *,
        today: dt.date | None = None,
        overlay: PayerOverlay | None = None,
    ) -> list[Finding]:
        """All findings for one claim, in rule order.

        `today` is the date the check is made (for "service date in the future"); `overlay` is
        applied on top of the scrubber's own overlays that match the claim's payer.
        """
        ctx = ClaimContext(claim, self.reference, today or dt.date.today(), self.on)
        applicable = [o for o in self.overlays if o.matches(claim)] if self.overlays else []
        if overlay is not None:
            applicable.append(overlay)
        merged = merge_overlays(applicable)
        runnable, not_checked = self._plan(claim.type)
        findings: list[Finding] = []
        for rule in runnable:
            if merged is not None:
                override = merged.rules.get(rule.id)
                if override is not None and not override.enabled:
                    continue
                findings.extend(f for f in map(merged.apply, self._run(rule, ctx)) if f is not None)
            elif rule.effective is ALWAYS:  # the common case, inlined: this loop is the hot path
                try:
                    findings.extend(rule.check(ctx, rule))
                except Exception as exc:  # a rule must never stop the check of a claim
                    findings.append(_crashed(rule, exc))
            else:
                findings.extend(self._run(rule, ctx))
        if not_checked:
            if merged is None:
                findings.append(self._not_checked[(claim.type, len(self.registry))])
            else:
                not_checked = [item for item in not_checked if merged.rules.get(item[0].id, _ON).enabled]
                if not_checked:
                    findings.append(_not_checked(not_checked, self.reference))
        return findings

    def _plan(self, claim_type: ClaimType) -> tuple[list[Rule], list[tuple[Rule, tuple[str, ...]]]]:
        """The rules that can run on this claim type with the reference data at hand (computed once)."""
        key = (claim_type, len(self.registry))
        plan = self._plans.get(key)
        if plan is None:
            runnable: list[Rule] = []
            not_checked: list[tuple[Rule, tuple[str, ...]]] = []
            for rule in self.registry:
                if claim_type not in rule.claim_types:
                    continue
                missing = tuple(part for part in rule.needs if not self.reference.has(part))
                if missing:
                    not_checked.append((rule, missing))
                else:
                    runnable.append(rule)
            plan = self._plans[key] = (runnable, not_checked)
            if not_checked:
                self._not_checked[key] = _not_checked(not_checked, self.reference)
        return plan

    def freeze(self) -> "Scrubber":
        """Before a long batch: move the loaded tables out of the garbage collector's way.

        The reference data is millions of long-lived objects; without this, every full collection
        triggered by the claims of a batch walks them again (about a quarter of the run time).
        Calls `gc.freeze()`, which is process-wide and harmless for long-lived data.
        """
        import gc

        gc.collect()
        gc.freeze()
        return self

    def check_many(self, claims: Iterable[Claim], *, today: dt.date | None = None) -> list[list[Finding]]:
        """Check a sequence of claims (the map a batch or a Dask partition runs)."""
        day = today or dt.date.today()
        return [self.check(claim, today=day) for claim in claims]

    def _run(self, rule: Rule, ctx: ClaimContext) -> list[Finding]:
        if rule.effective is not ALWAYS:
            in_force = {ln.number for ln in ctx.lines if rule.effective.contains(ctx.asof(ln.date))}
            if not in_force and not (
                ctx.service_date and rule.effective.contains(ctx.asof(ctx.service_date))
            ):
                return []
        try:
            produced = list(rule.check(ctx, rule))
        except Exception as exc:  # a rule must never stop the check of a claim
            return [_crashed(rule, exc)]
        if rule.effective is not ALWAYS:
            produced = [f for f in produced if not f.lines or set(f.lines) & in_force]
        return produced


def _crashed(rule: Rule, exc: Exception) -> Finding:
    log.exception("rule %s failed", rule.id)
    return Finding(
        rule=RULE_ERROR,
        severity=Severity.WARN,
        message=(
            f"Rule {rule.id} ({rule.title}) could not check this claim: "
            f"{type(exc).__name__}. The rest of the claim was checked; please report this."
        ),
        source=ENGINE_SOURCE,
        fix="Review this edit by hand; this is a defect in medbill, not in the claim.",
        extra=(("failed_rule", rule.id),),
    )


def _not_checked(items: list[tuple[Rule, tuple[str, ...]]], reference: Reference) -> Finding:
    parts = sorted({part for _, missing in items for part in missing})
    reasons = "; ".join(f"{part}: {reference.notes.get(part, 'not installed')}" for part in parts)
    return Finding(
        rule=NOT_CHECKED,
        severity=Severity.INFO,
        message=(
            f"{len(items)} edits were not checked because their reference data is missing "
            f"({', '.join(r.id for r, _ in items)}). {reasons}."
        ),
        source=ENGINE_SOURCE,
        fix="Build the knowledge base (`medbill data build`) with the missing releases installed.",
        extra=(("not_checked", tuple(r.id for r, _ in items)),),
    )
