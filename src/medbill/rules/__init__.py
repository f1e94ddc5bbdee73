"""The claim scrubber: every edit a payer applies, checked before the claim goes out.

    from medbill.rules import check_claim
    findings = check_claim(claim)                     # reference data from the knowledge base
    blocking = [f for f in findings if f.severity.blocking]

`Scrubber` holds the loaded tables; `check_claim` is the one-call form the app and the sandbox
payer use. Rules register in a `Registry` (`medbill.rules.registry`); payer policies are overlays.
"""

from medbill.rules.api import check_claim
from medbill.rules.engine import NOT_CHECKED, RULE_ERROR, Scrubber
from medbill.rules.overlay import PayerOverlay, load_overlay
from medbill.rules.reference import Reference
from medbill.rules.registry import Registry, Rule, default_registry

__all__ = [
    "NOT_CHECKED",
    "RULE_ERROR",
    "PayerOverlay",
    "Reference",
    "Registry",
    "Rule",
    "Scrubber",
    "check_claim",
    "default_registry",
    "load_overlay",
]
