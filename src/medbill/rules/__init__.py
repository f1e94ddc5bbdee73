"""The claim scrubber: every edit a payer applies, checked before the claim goes out.

>>> from medbill.rules import Scrubber, Reference
>>> scrubber = Scrubber(Reference())          # structure edits only; add reference data for the rest
>>> [f.rule for f in scrubber.check(claim)]   # doctest: +SKIP
['structure.npi']

`Scrubber` holds the loaded tables; `check_claim` is the one-call form the app and the sandbox
payer use. Rules register in a `Registry` (`medbill.rules.registry`); payer policies are overlays.
"""

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
    "default_registry",
    "load_overlay",
]
