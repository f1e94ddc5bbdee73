"""NCCI add-on code edits: an add-on code is paid only with one of its primary codes.

Edit types as CMS defines them: type 1 lists every acceptable primary code (denied without one);
type 3 lists some, and a contractor may accept others (a warning); type 2 lists none, each
contractor defines them (a warning only when nothing else was billed that day). The primary must
be billed by the same provider on the same date.
"""

from collections.abc import Iterator

from medbill.core.findings import Finding, Severity
from medbill.rules.context import ClaimContext, Setting
from medbill.rules.registry import Registry, Rule
from medbill.rules.sources import NCCI_AOC

PACK = Registry()
MAX_LISTED = 6


@PACK.rule(
    "ncci.aoc",
    title="Add-on codes are billed with one of their primary codes",
    source=NCCI_AOC,
    severity=Severity.DENY,
    pack="ncci",
    needs=("ncci.aoc",),
    fix="Bill the primary procedure the add-on code adds to (same provider, same date), or remove the add-on.",
)
def aoc(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """An add-on code (CMS add-on code edit file) with none of its primary codes on the same date by
    the same provider: type 1 is denied; type 3 and type 2 (contractor-defined primaries) are warnings."""
    tables = ctx.ref.ncci
    assert tables is not None
    if ctx.setting == Setting.INPATIENT:
        return
    for (day, _provider), lines in ctx.by_date_provider.items():
        on = ctx.asof(day)
        table = tables.aoc_for(on)
        if table is None:
            continue
        codes = {ln.procedure for ln in lines}
        for line in lines:
            found = table.primaries(line.procedure, on)
            if found is None:
                continue
            kind, primaries = found
            others = codes - {line.procedure}
            if kind == 2:
                if not any(table.primaries(code, on) is None for code in others):
                    yield rule.finding(
                        f"Line {line.number}: add-on code {line.procedure} (type 2, primary codes defined by "
                        f"each contractor) is billed without any primary procedure on {day.isoformat()}.",
                        severity=Severity.WARN,
                        lines=(line.number,),
                        codes=(line.procedure,),
                        source=table.source,
                    )
                continue
            if primaries & others:
                continue
            listed = ", ".join(sorted(primaries)[:MAX_LISTED])
            more = len(primaries) - MAX_LISTED
            listed += f" (and {more} more)" if more > 0 else ""
            if kind == 1:
                text = f"Line {line.number}: add-on code {line.procedure} is billed without one of its primary codes ({listed}) on {day.isoformat()}."
                severity = Severity.DENY
            else:
                text = (
                    f"Line {line.number}: add-on code {line.procedure} (type 3) is billed without one of its listed primary "
                    f"codes ({listed}) on {day.isoformat()}; the contractor may accept another primary."
                )
                severity = Severity.WARN
            yield rule.finding(
                text, severity=severity, lines=(line.number,), codes=(line.procedure,), source=table.source
            )


def register(registry: Registry) -> None:
    registry.extend(PACK)
