"""The sandbox payer: a simulated Medicare Part B contractor that adjudicates 837 claims with the
scrubber and the fee schedule and answers with an 835, so the whole cycle runs without a
clearinghouse."""

from medbill.pricing.sandbox.adjudicate import ClaimDecision, LineDecision, SandboxConfig, adjudicate_claims
from medbill.pricing.sandbox.denials import Denial, denial_for
from medbill.pricing.sandbox.payer import SandboxResult, adjudicate_file, write_remittances

__all__ = [
    "ClaimDecision",
    "Denial",
    "LineDecision",
    "SandboxConfig",
    "SandboxResult",
    "adjudicate_claims",
    "adjudicate_file",
    "denial_for",
    "write_remittances",
]
