"""Findings: what is wrong, where, how bad, and which rule or release says so."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How a payer or clearinghouse treats the problem.

    `reject`: a front end would bounce the claim; `deny`: the payer would deny or reduce it;
    `warn`: likely a problem; `info`: for the record.
    """

    REJECT = "reject"
    DENY = "deny"
    WARN = "warn"
    INFO = "info"

    @property
    def blocking(self) -> bool:
        """True for severities that stop a claim (CLI exit status 1)."""
        return self in (Severity.REJECT, Severity.DENY)

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.REJECT: 0, Severity.DENY: 1, Severity.WARN: 2, Severity.INFO: 3}


@dataclass(frozen=True, slots=True)
class Source:
    """The publication a rule or value comes from, e.g. CMS NCCI MUE 2026 Q2 effective 2026-04-01."""

    name: str
    release: str = ""
    effective: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "release": self.release, "effective": self.effective}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by a stage, with a stable rule id.

    `lines` are 1-based service-line numbers; `path` points into the input where that is clearer
    (a JSON path such as `lines[2].units`, or an X12 segment position).
    """

    rule: str
    severity: Severity
    message: str
    lines: tuple[int, ...] = ()
    codes: tuple[str, ...] = ()
    source: Source | None = None
    fix: str = ""
    path: str = ""
    extra: tuple[tuple[str, Any], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "lines": list(self.lines),
            "codes": list(self.codes),
            "source": self.source.to_dict() if self.source else None,
            "fix": self.fix,
        }
        if self.path:
            data["path"] = self.path
        if self.extra:
            data.update(dict(self.extra))
        return data


def has_blocking(findings: "list[Finding] | tuple[Finding, ...]") -> bool:
    """True when any finding is reject or deny."""
    return any(f.severity.blocking for f in findings)


def is_clean(findings: Iterable["Finding"]) -> bool:
    """Whether a claim with these claim-edit findings is clean: the one definition medbill uses (the
    A/R journal's clean-claim rate, the app's claim worklist and dashboard, `medbill demo`).

    A clean claim passes the edits with nothing a clearinghouse would bounce or a payer would deny:
    no `reject` or `deny` finding. `warn` and `info` findings (a likely problem, something for the
    record) do not make a claim unclean: it can be sent as it is. The clean-claim rate counts a claim
    by its first pass through the edits: one that needed fixing stays unclean after the fix."""
    return not any(f.severity.blocking for f in findings)
