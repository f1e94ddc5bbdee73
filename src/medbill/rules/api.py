"""`check_claim`: the one-call scrubber the app, the services and the sandbox payer use.

The default scrubber (reference data loaded once per process) is cached; pass `scrubber=` or
build a `Scrubber` yourself to hold other tables, and `Scrubber.check` in a loop for batches.
"""

import datetime as dt
from functools import cache
from typing import Any

from medbill.core.claim import Claim
from medbill.core.findings import Finding
from medbill.rules.defaults import load_reference
from medbill.rules.engine import Scrubber
from medbill.rules.overlay import PayerOverlay


@cache
def _default_scrubber() -> Scrubber:
    return Scrubber(load_reference())


def check_claim(
    claim: Claim,
    kb: Any = None,
    on: dt.date | None = None,
    payer_overlay: PayerOverlay | None = None,
    *,
    today: dt.date | None = None,
    scrubber: Scrubber | None = None,
) -> list[Finding]:
    """Every finding for `claim`.

    `kb` is an open knowledge base (default: the one in `MEDBILL_HOME`); `on` forces the reference
    data of one date instead of each line's date of service; `payer_overlay` is applied on top of
    the CMS baseline; `today` is the date of the check (default: today).
    """
    if scrubber is None:
        scrubber = _default_scrubber() if kb is None else Scrubber(load_reference(kb))
    if on is not None and on != scrubber.on:
        scrubber = Scrubber(scrubber.reference, scrubber.registry, overlays=scrubber.overlays, on=on)
    return scrubber.check(claim, today=today, overlay=payer_overlay)
