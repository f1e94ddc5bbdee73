"""Knowledge-base section `ncci`: the CMS NCCI PTP, MUE and add-on code edits of every installed release.

Tables and loaders are `medbill.codesets.ncci_section` (`ncci_release`, `ncci_ptp_arrays`,
`ncci_mue`, `ncci_aoc`); the accessor `kb.ncci` is the scrubber's in-memory `NcciTables`, loaded
once per open knowledge base.
"""

from collections.abc import Sequence
from typing import Any

from medbill.codesets.installed import InstalledRelease
from medbill.codesets.ncci_section import SCHEMA, load_ncci, load_release
from medbill.codesets.sections import BuildContext, Section


def load(ctx: BuildContext, releases: Sequence[InstalledRelease]) -> dict[str, int]:
    counts = {}
    for item in releases:
        ctx.progress(f"reading {item.release.name}")
        paths = [item.paths[name] for name in sorted(item.paths)]
        counts[item.release.id] = load_release(ctx.conn, item.release.id, paths)
    return counts


def _accessor(kb: Any) -> Any:
    return load_ncci(kb.conn)


SECTION = Section(
    name="ncci",
    version=1,
    schema=SCHEMA,
    loads=("ncci",),
    load=load,
    accessor=_accessor,
    description="CMS NCCI procedure-to-procedure, medically unlikely and add-on code edits",
)
