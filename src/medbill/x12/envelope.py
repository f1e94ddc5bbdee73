"""Envelopes: ISA/IEA interchanges, GS/GE functional groups and ST/SE transaction sets.

`EnvelopeReader` walks the lexer's segments, checks the control structure (SE01 segment counts,
GE01 and IEA01 counts, matching control numbers, the 5010 version) and hands out one
`TransactionSet` at a time. A transaction set streams its segments from ST to SE; the reader never
holds more than one segment of look-ahead, so memory does not grow with the file.

Problems become findings naming the segment position. Data that is not X12 at all is reported as
the fatal finding ``x12.syntax.not_x12`` (the CLI exits 2 on it).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from medbill.core.errors import InputError
from medbill.core.findings import Severity
from medbill.x12.lexer import Lexer, Source
from medbill.x12.report import X12_5010, FindingSink
from medbill.x12.segment import Segment

VERSION_5010 = "00501"
ENVELOPE_IDS = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE"})
NOT_X12 = "x12.syntax.not_x12"


@dataclass(frozen=True, slots=True)
class Interchange:
    """The ISA header fields a reader needs."""

    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: str
    time: str
    version: str
    control_number: str
    usage: str
    position: int

    @classmethod
    def from_segment(cls, seg: Segment) -> "Interchange":
        return cls(
            sender_qualifier=seg.el(5).strip(),
            sender_id=seg.el(6).strip(),
            receiver_qualifier=seg.el(7).strip(),
            receiver_id=seg.el(8).strip(),
            date=seg.el(9),
            time=seg.el(10),
            version=seg.el(12),
            control_number=seg.el(13).strip(),
            usage=seg.el(15).strip(),
            position=seg.position,
        )


@dataclass(frozen=True, slots=True)
class Group:
    """The GS header fields a reader needs."""

    functional_id: str
    sender: str
    receiver: str
    date: str
    time: str
    control_number: str
    version: str
    position: int

    @classmethod
    def from_segment(cls, seg: Segment) -> "Group":
        return cls(
            functional_id=seg.el(1),
            sender=seg.el(2),
            receiver=seg.el(3),
            date=seg.el(4),
            time=seg.el(5),
            control_number=seg.el(6),
            version=seg.el(8),
            position=seg.position,
        )


class TransactionSet:
    """One ST ... SE transaction set; iterate `segments()` once, in order."""

    def __init__(
        self, reader: "EnvelopeReader", header: Segment, interchange: Interchange | None, group: Group | None
    ):
        self._reader = reader
        self.header = header
        self.interchange = interchange
        self.group = group
        self.transaction_id = header.el(1)
        self.control_number = header.el(2)
        self.implementation = header.el(3) or (group.version if group else "")
        self.segment_count = 0
        self._stream: Iterator[Segment] | None = None
        self.closed = False

    def segments(self) -> Iterator[Segment]:
        """ST, the body, and SE (when present); checks SE01 and SE02 on the way. Read it once."""
        if self._stream is not None:
            raise RuntimeError("a transaction set's segments can be read only once")
        self._stream = self._segments()
        return self._stream

    def _segments(self) -> Iterator[Segment]:
        reader = self._reader
        sink = reader.sink
        count = 1
        yield self.header
        for seg in reader._pull():
            sid = seg.id
            if sid == "SE":
                count += 1
                self.segment_count = count
                self.closed = True
                declared = seg.el(1)
                if declared != str(count):
                    sink.add(
                        "x12.envelope.se_count",
                        Severity.REJECT,
                        f"SE01 says {declared or 'nothing'} segments but transaction set "
                        f"{self.control_number} has {count} (ST to SE inclusive)",
                        seg,
                        source=X12_5010,
                    )
                if seg.el(2) != self.control_number:
                    sink.add(
                        "x12.envelope.se_control",
                        Severity.REJECT,
                        f"SE02 {seg.el(2)!r} does not match ST02 {self.control_number!r}",
                        seg,
                        source=X12_5010,
                    )
                yield seg
                return
            if sid in ENVELOPE_IDS:
                reader._push_back(seg)
                break
            count += 1
            yield seg
        self.segment_count = count
        self.closed = True
        sink.add(
            "x12.envelope.missing_se",
            Severity.REJECT,
            f"transaction set {self.transaction_id} {self.control_number} (ST at segment "
            f"{self.header.position}) has no SE trailer",
            reader.last,
            source=X12_5010,
        )

    def _drain(self) -> None:
        """Skip whatever the consumer did not read, so the reader can go on to the next set."""
        stream = self._stream if self._stream is not None else self.segments()
        for _ in stream:
            pass


class EnvelopeReader:
    """Walk the envelopes of an interchange file and yield its transaction sets."""

    def __init__(self, source: Source, *, sink: FindingSink | None = None) -> None:
        self.lexer = Lexer(source)
        self.sink = sink or FindingSink()
        self._iter: Iterator[Segment] | None = None
        self._pending: Segment | None = None
        self.last: Segment | None = None
        self.fatal = False
        self.segments_read = 0
        self.interchanges: list[Interchange] = []

    def _pull(self) -> Iterator[Segment]:
        while True:
            pending = self._pending
            if pending is not None:
                self._pending = None
                yield pending
                continue
            assert self._iter is not None
            seg = next(self._iter, None)
            if seg is None:
                return
            self.last = seg
            self.segments_read += 1
            yield seg

    def _push_back(self, seg: Segment) -> None:
        self._pending = seg

    def transaction_sets(self) -> Iterator[TransactionSet]:
        """Yield each transaction set; envelope findings accumulate in ``sink``."""
        try:
            self._iter = iter(self.lexer)
            first = next(self._iter, None)
        except InputError as exc:
            self.fatal = True
            self.sink.add(NOT_X12, Severity.REJECT, f"segment 1: {exc}", source=X12_5010)
            return
        if first is None:
            return
        self.last = first
        self.segments_read = 1
        self._push_back(first)
        yield from self._walk()
        self.sink.extend(self.lexer.findings)

    def _walk(self) -> Iterator[TransactionSet]:
        sink = self.sink
        isa: Segment | None = None
        interchange: Interchange | None = None
        group: Group | None = None
        gs: Segment | None = None
        groups = sets = 0
        seen_sets: set[str] = set()
        for seg in self._pull():
            sid = seg.id
            if sid == "ST":
                if gs is None:
                    sink.add(
                        "x12.envelope.outside",
                        Severity.REJECT,
                        "ST outside a GS functional group",
                        seg,
                        source=X12_5010,
                    )
                sets += 1
                if seg.el(2) in seen_sets:
                    sink.add(
                        "x12.envelope.duplicate_control",
                        Severity.REJECT,
                        f"transaction set control number {seg.el(2)!r} is used twice in one functional group",
                        seg,
                        source=X12_5010,
                    )
                seen_sets.add(seg.el(2))
                transaction = TransactionSet(self, seg, interchange, group)
                yield transaction
                transaction._drain()
            elif sid == "GS":
                if isa is None:
                    sink.add(
                        "x12.envelope.outside",
                        Severity.REJECT,
                        "GS outside an ISA interchange",
                        seg,
                        source=X12_5010,
                    )
                if gs is not None:
                    self._missing(gs, "GE", seg)
                gs, group, sets = seg, Group.from_segment(seg), 0
                seen_sets = set()
                groups += 1
                self._check_group_version(seg)
            elif sid == "GE":
                if gs is None:
                    sink.add(
                        "x12.envelope.outside",
                        Severity.REJECT,
                        "GE without a GS header",
                        seg,
                        source=X12_5010,
                    )
                    continue
                self._check_trailer(seg, "GE", sets, gs.el(6), "transaction sets", "GS06")
                gs = group = None
            elif sid == "ISA":
                if isa is not None:
                    self._missing(isa, "IEA", seg)
                if gs is not None:
                    self._missing(gs, "GE", seg)
                    gs = group = None
                isa, groups = seg, 0
                interchange = Interchange.from_segment(seg)
                self.interchanges.append(interchange)
                self._check_isa(seg)
            elif sid == "IEA":
                if isa is None:
                    sink.add(
                        "x12.envelope.outside",
                        Severity.REJECT,
                        "IEA without an ISA header",
                        seg,
                        source=X12_5010,
                    )
                    continue
                if gs is not None:
                    self._missing(gs, "GE", seg)
                    gs = group = None
                self._check_trailer(seg, "IEA", groups, isa.el(13), "functional groups", "ISA13")
                isa = interchange = None
            elif sid == "SE":
                sink.add(
                    "x12.envelope.outside", Severity.REJECT, "SE without an ST header", seg, source=X12_5010
                )
            else:
                sink.add(
                    "x12.envelope.outside",
                    Severity.REJECT,
                    "segment outside a transaction set (between envelope segments)",
                    seg,
                    source=X12_5010,
                )
        if gs is not None:
            self._missing(gs, "GE", None)
        if isa is not None:
            self._missing(isa, "IEA", None)

    def _missing(self, header: Segment, trailer: str, at: Segment | None) -> None:
        where = f"before {at.where}" if at is not None else "at the end of the file"
        self.sink.add(
            f"x12.envelope.missing_{trailer.lower()}",
            Severity.REJECT,
            f"{header.id} at segment {header.position} (control number {header.el(13 if header.id == 'ISA' else 6).strip()!r}) "
            f"has no {trailer} trailer {where}",
            source=X12_5010,
        )

    def _check_trailer(
        self, seg: Segment, name: str, count: int, control: str, what: str, header_field: str
    ) -> None:
        if seg.el(1) != str(count):
            self.sink.add(
                f"x12.envelope.{name.lower()}_count",
                Severity.REJECT,
                f"{name}01 says {seg.el(1) or 'nothing'} {what} but there are {count}",
                seg,
                source=X12_5010,
            )
        if seg.el(2).strip() != control.strip():
            self.sink.add(
                f"x12.envelope.{name.lower()}_control",
                Severity.REJECT,
                f"{name}02 {seg.el(2)!r} does not match {header_field} {control!r}",
                seg,
                source=X12_5010,
            )

    def _check_isa(self, seg: Segment) -> None:
        if len(seg.elements) != 17:
            self.sink.add(
                "x12.envelope.isa_format",
                Severity.REJECT,
                f"ISA has {len(seg.elements) - 1} elements; it must have 16",
                seg,
                source=X12_5010,
            )
        version = seg.el(12)
        if version != VERSION_5010:
            label = "4010" if version == "00401" else version
            self.sink.add(
                "x12.envelope.version",
                Severity.REJECT,
                f"interchange version ISA12={version!r} ({label}) is not 5010 (00501); medbill reads and writes "
                "HIPAA X12 5010 only",
                seg,
                source=X12_5010,
                fix="ask the sender for the 5010 version of the file",
            )

    def _check_group_version(self, seg: Segment) -> None:
        version = seg.el(8)
        if not version.startswith("005010"):
            label = "4010" if version.startswith("004010") else "not 5010"
            self.sink.add(
                "x12.envelope.version",
                Severity.REJECT,
                f"functional group version GS08={version!r} is {label}; medbill reads HIPAA 005010 "
                "implementation guides (e.g. 005010X222A1)",
                seg,
                source=X12_5010,
                fix="ask the sender for the 5010 version of the file",
            )
