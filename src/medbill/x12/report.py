"""Findings raised while reading or writing X12, collected with a cap so garbage input stays cheap.

Rule ids are stable and grouped by layer: ``x12.syntax.*`` (lexer), ``x12.envelope.*`` (ISA/GS/ST
control structure), ``x12.structure.*`` (implementation-guide loops and segments), and one group per
transaction mapper (``x12.835.*``, ``x12.837.*``, ...).
"""

from medbill.core.findings import Finding, Severity, Source
from medbill.x12.segment import Segment

X12_5010 = Source(name="ASC X12 5010 control segments (ISA/GS/ST)", release="005010")

DEFAULT_CAP = 1000


class FindingSink:
    """Collects findings; after ``cap`` of them only counts the rest and says so once."""

    def __init__(self, cap: int = DEFAULT_CAP) -> None:
        self.items: list[Finding] = []
        self.cap = cap
        self.dropped = 0

    def add(
        self,
        rule: str,
        severity: Severity,
        message: str,
        segment: Segment | None = None,
        *,
        source: Source | None = None,
        codes: tuple[str, ...] = (),
        fix: str = "",
    ) -> None:
        if len(self.items) >= self.cap:
            self.dropped += 1
            return
        where = segment.where if segment is not None else ""
        text = f"{where}: {message}" if where else message
        self.items.append(
            Finding(
                rule=rule, severity=severity, message=text, path=where, source=source, codes=codes, fix=fix
            )
        )

    def extend(self, findings: list[Finding]) -> None:
        for finding in findings:
            if len(self.items) >= self.cap:
                self.dropped += 1
            else:
                self.items.append(finding)

    def result(self) -> list[Finding]:
        """All findings, with a closing note when some were dropped."""
        if not self.dropped:
            return list(self.items)
        note = Finding(
            rule="x12.findings.truncated",
            severity=Severity.WARN,
            message=f"{self.dropped} further findings were not listed (limit {self.cap})",
        )
        return [*self.items, note]
