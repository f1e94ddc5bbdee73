"""A streaming X12 lexer that knows no implementation guide.

It reads the input in chunks (constant memory whatever the file size), finds the delimiters in the
ISA segment, and yields one `Segment` per segment terminator. Tolerated on the way in: a UTF-8
byte-order mark, whitespace or line breaks before the ISA, line breaks (LF or CR LF) and indentation
between segments, and a last segment without its terminator.

>>> lexer = Lexer("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
...               "*260101*1200*^*00501*000000001*0*T*:~\\nGS*HC*S*R*20260101*1200*1*X*005010X222A1~")
>>> [seg.id for seg in lexer], lexer.delimiters.segment
(['ISA', 'GS'], '~')
"""

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from medbill.core.errors import InputError
from medbill.core.findings import Finding, Severity
from medbill.x12.delimiters import Delimiters
from medbill.x12.segment import Segment

CHUNK_SIZE = 1 << 20
_HEAD_SIZE = 512

Source = str | bytes | bytearray | memoryview | Path | BinaryIO


def _chunks(source: Source, chunk_size: int) -> Iterator[str]:
    if isinstance(source, str):
        yield source
        return
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield decoder.decode(bytes(source), final=True)
        return
    if isinstance(source, Path):
        with source.open("rb") as stream:
            yield from _stream_chunks(stream, decoder, chunk_size)
        return
    yield from _stream_chunks(source, decoder, chunk_size)


def _stream_chunks(stream: BinaryIO, decoder: codecs.IncrementalDecoder, chunk_size: int) -> Iterator[str]:
    while True:
        block = stream.read(chunk_size)
        if not block:
            break
        yield block if isinstance(block, str) else decoder.decode(block)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


class Lexer:
    """Iterate over the segments of an interchange; ``delimiters`` is known once iteration starts.

    Raises `InputError` (when iteration starts) if the data does not begin with an ISA segment;
    everything after that is yielded as found, and oddities are collected in ``findings``.
    """

    def __init__(self, source: Source, *, chunk_size: int = CHUNK_SIZE) -> None:
        self._chunks = _chunks(source, chunk_size)
        self.delimiters: Delimiters | None = None
        self.findings: list[Finding] = []
        self.characters = 0

    def _head(self) -> str:
        head = ""
        for chunk in self._chunks:
            head += chunk
            if len(head.lstrip("\ufeff \t\r\n")) >= _HEAD_SIZE:
                break
        head = head.lstrip("\ufeff \t\r\n")
        if not head:
            raise InputError("not an X12 interchange: the data is empty")
        if not head.startswith("ISA"):
            raise InputError(
                f"not an X12 interchange: expected an ISA segment at the start, found {head[:12]!r}"
            )
        return head

    def __iter__(self) -> Iterator[Segment]:
        pending = self._head()
        delimiters = self.delimiters = Delimiters.from_isa(pending)
        terminator = delimiters.segment
        separator = delimiters.element
        position = 0
        characters = 0
        chunks = self._chunks
        while True:
            parts = pending.split(terminator)
            pending = parts.pop()
            for raw in parts:
                characters += len(raw) + 1
                raw = raw.strip()
                if raw:
                    position += 1
                    yield Segment(raw.split(separator), position, delimiters)
            chunk = next(chunks, None)
            if chunk is None:
                break
            pending += chunk
        self.characters = characters + len(pending)
        last = pending.strip()
        if last:
            position += 1
            segment = Segment(last.split(separator), position, delimiters)
            self.findings.append(
                Finding(
                    rule="x12.syntax.unterminated",
                    # a missing terminator after a complete IEA is a common, harmless slip
                    severity=Severity.INFO if segment.id == "IEA" else Severity.WARN,
                    message=f"{segment.where}: the last segment has no segment terminator {terminator!r}"
                    + ("" if segment.id == "IEA" else " (the file may be truncated)"),
                    path=segment.where,
                )
            )
            yield segment
