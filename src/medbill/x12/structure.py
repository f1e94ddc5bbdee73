"""The guide-driven structure layer: assembles a transaction set's segments into loops.

`StructureParser` walks a `Guide` the way X12 defines loops: a loop begins at its trigger segment
(the first segment of the loop, told apart by its qualifiers) and ends when a segment belongs to
an enclosing loop. Segments keep the guide order; a segment that only fits earlier in the current
loop is accepted with an ordering finding, one that fits nowhere is reported and skipped, and
required segments and loops that never appeared are reported when their loop closes.

It streams: each loop whose id is in ``emit`` is handed out as soon as it closes, together with
its still-open ancestors, and loops in ``detach`` are not kept in their parent afterwards, so an
837 with a million claims is mapped one claim at a time.
"""

from collections.abc import Iterable, Iterator

from medbill.core.findings import Severity
from medbill.x12.guide import Guide, LoopRule, SegmentRule
from medbill.x12.report import FindingSink
from medbill.x12.segment import Segment


class Loop:
    """One occurrence of a loop: its own segments and its child loops, in file order."""

    __slots__ = ("id", "loops", "rule", "segments")

    def __init__(self, rule: LoopRule) -> None:
        self.rule = rule
        self.id = rule.id
        self.segments: list[Segment] = []
        self.loops: list[Loop] = []

    def first(self, seg_id: str, qualifier: str | None = None, element: int = 1) -> Segment | None:
        """The first own segment with this id (and element ``element`` equal to ``qualifier``)."""
        for seg in self.segments:
            if seg.id == seg_id and (qualifier is None or seg.el(element) == qualifier):
                return seg
        return None

    def all(self, seg_id: str, qualifier: str | None = None, element: int = 1) -> list[Segment]:
        return [
            seg
            for seg in self.segments
            if seg.id == seg_id and (qualifier is None or seg.el(element) == qualifier)
        ]

    def child(self, loop_id: str) -> "Loop | None":
        for loop in self.loops:
            if loop.id == loop_id:
                return loop
        return None

    def children(self, loop_id: str) -> list["Loop"]:
        return [loop for loop in self.loops if loop.id == loop_id]

    @property
    def trigger(self) -> Segment:
        return self.segments[0]

    def __repr__(self) -> str:
        return f"Loop({self.id}, {len(self.segments)} segments, {len(self.loops)} loops)"


class _Frame:
    """An open loop: ``slot`` is the standard position reached so far, ``counts`` the uses per child."""

    __slots__ = ("counts", "loop", "rule", "slot")

    def __init__(self, rule: LoopRule, loop: Loop) -> None:
        self.rule = rule
        self.loop = loop
        self.slot = 0
        self.counts = [0] * len(rule.children)


Closed = tuple[Loop, tuple[Loop, ...]]


class StructureParser:
    """Parse one transaction set against a guide; findings go to ``sink``."""

    def __init__(
        self,
        guide: Guide,
        sink: FindingSink,
        *,
        emit: frozenset[str] = frozenset(),
        detach: frozenset[str] = frozenset(),
    ) -> None:
        self.guide = guide
        self.sink = sink
        self.emit = emit
        self.detach = detach
        self._stack: list[_Frame] = []
        self._closed: list[Closed] = []

    def parse(self, segments: Iterable[Segment]) -> Iterator[Closed]:
        """Yield ``(loop, ancestors)`` for each emitted loop as it closes, then the root loop."""
        iterator = iter(segments)
        header = next(iterator, None)
        if header is None:
            return
        root_rule = self.guide.root
        root = Loop(root_rule)
        frame = _Frame(root_rule, root)
        self._stack = [frame]
        if header.id == "ST":
            root.segments.append(header)
            frame.counts[0] = 1
        else:
            self._place(header)
        closed = self._closed
        for seg in iterator:
            self._place(seg)
            if closed:
                yield from closed
                closed.clear()
        self._close_to(0)
        self._check_required(frame)
        yield from closed
        closed.clear()
        yield root, ()

    def _place(self, seg: Segment) -> None:
        stack = self._stack
        sid = seg.id
        fallback: tuple[int, int, int, SegmentRule | LoopRule] | None = None
        for depth in range(len(stack) - 1, -1, -1):
            frame = stack[depth]
            candidates = frame.rule.by_id.get(sid)
            if not candidates:
                continue
            for position, slot, node in candidates:
                if slot < frame.slot:
                    continue
                if isinstance(node, LoopRule):
                    if not node.trigger.matches(seg):
                        continue
                    if frame.counts[position] >= node.repeat:
                        fallback = fallback or (depth, position, slot, node)
                        continue
                    self._close_to(depth)
                    self._open(frame, position, slot, node, seg)
                    return
                if not node.matches(seg):
                    continue
                if frame.counts[position] >= node.max_use or (position == 0 and depth > 0):
                    fallback = fallback or (depth, position, slot, node)
                    continue
                self._close_to(depth)
                frame.slot = slot
                frame.counts[position] += 1
                frame.loop.segments.append(seg)
                return
        if fallback is not None:
            self._over_repeat(seg, *fallback)
            return
        self._out_of_place(seg)

    def _open(self, frame: _Frame, position: int, slot: int, rule: LoopRule, seg: Segment) -> None:
        frame.slot = slot
        frame.counts[position] += 1
        loop = Loop(rule)
        loop.segments.append(seg)
        if rule.id not in self.detach:
            frame.loop.loops.append(loop)
        child = _Frame(rule, loop)
        child.counts[0] = 1
        self._stack.append(child)

    def _close_to(self, depth: int) -> None:
        stack = self._stack
        if len(stack) == depth + 1:
            return
        while len(stack) > depth + 1:
            frame = stack[-1]
            self._check_required(frame)
            stack.pop()
            if frame.loop.id in self.emit:
                self._closed.append((frame.loop, tuple(f.loop for f in stack)))

    def _check_required(self, frame: _Frame) -> None:
        counts = frame.counts
        for position in frame.rule.required:
            if counts[position] == 0:
                node = frame.rule.children[position]
                where = "the transaction set" if frame.rule is self.guide.root else frame.rule.label
                at = frame.loop.segments[0] if frame.loop.segments else None
                self.sink.add(
                    "x12.structure.missing",
                    Severity.REJECT,
                    f"required {node.label} is missing from {where}",
                    at,
                    source=self.guide.source,
                )

    def _over_repeat(
        self, seg: Segment, depth: int, position: int, slot: int, node: SegmentRule | LoopRule
    ) -> None:
        frame = self._stack[depth]
        self._close_to(depth)
        if isinstance(node, LoopRule):
            self.sink.add(
                "x12.structure.repeat",
                Severity.REJECT,
                f"{node.label} occurs more than the {node.repeat} times the guide allows in {frame.rule.label}",
                seg,
                source=self.guide.source,
            )
            self._open(frame, position, slot, node, seg)
            return
        self.sink.add(
            "x12.structure.repeat",
            Severity.REJECT,
            f"{node.label} occurs more than the {node.max_use} times the guide allows in {frame.rule.label}",
            seg,
            source=self.guide.source,
        )
        frame.slot = slot
        frame.counts[position] += 1
        frame.loop.segments.append(seg)

    def _open_implied(self, seg: Segment) -> bool:
        """A loop whose own first segment is missing (an 835 claim without its LX header, say): when
        ``seg`` starts a loop nested in a loop that could come next, open both and say so."""
        stack = self._stack
        for depth in range(len(stack) - 1, -1, -1):
            frame = stack[depth]
            for position, child in enumerate(frame.rule.children):
                if not isinstance(child, LoopRule) or frame.counts[position] >= child.repeat:
                    continue
                slot = next(s for p, s, _ in frame.rule.by_id[child.trigger.id] if p == position)
                if slot < frame.slot:
                    continue
                for inner_position, inner_slot, inner in child.by_id.get(seg.id, ()):
                    if isinstance(inner, LoopRule) and inner.trigger.matches(seg):
                        self._close_to(depth)
                        frame.slot = slot
                        frame.counts[position] += 1
                        loop = Loop(child)
                        if child.id not in self.detach:
                            frame.loop.loops.append(loop)
                        implied = _Frame(child, loop)
                        implied.counts[0] = 1  # reported here, not again when the loop closes
                        self._stack.append(implied)
                        self.sink.add(
                            "x12.structure.missing",
                            Severity.REJECT,
                            f"{child.trigger.label} that starts {child.label} is missing before this "
                            f"{inner.label}; read as if it were there",
                            seg,
                            source=self.guide.source,
                        )
                        self._open(implied, inner_position, inner_slot, inner, seg)
                        return True
        return False

    def _out_of_place(self, seg: Segment) -> None:
        top = self._stack[-1]
        for position, slot, node in top.rule.by_id.get(seg.id, ()):
            is_loop = isinstance(node, LoopRule)
            if (node.trigger.matches(seg) if isinstance(node, LoopRule) else node.matches(seg)) and (
                is_loop or position > 0
            ):
                self.sink.add(
                    "x12.structure.order",
                    Severity.REJECT,
                    f"{node.label} is out of order in {top.rule.label} (the guide puts it earlier); read anyway",
                    seg,
                    source=self.guide.source,
                )
                top.counts[position] += 1
                if isinstance(node, LoopRule):
                    reached = top.slot
                    self._open(top, position, slot, node, seg)
                    top.slot = reached
                else:
                    top.loop.segments.append(seg)
                return
        if self._open_implied(seg):
            return
        if seg.id in self.guide.segment_ids:
            message = f"segment {seg.render()[:40]!r} is not expected here (in {top.rule.label}); skipped"
        elif not (2 <= len(seg.id) <= 3 and seg.id.isalnum() and seg.id.isupper()):
            message = f"{seg.id[:20]!r} is not a segment id; skipped"
        else:
            message = f"unknown segment {seg.id} (not part of {self.guide.key} {self.guide.version}); skipped"
        self.sink.add("x12.structure.unexpected", Severity.REJECT, message, seg, source=self.guide.source)
