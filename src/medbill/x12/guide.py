"""Implementation-guide structure as data: loops, segments, trigger qualifiers, usage and repeats.

Each transaction's TR3 structure lives in a YAML file in ``medbill/x12/guides/`` (one per guide:
837P 005010X222A1, 837I 005010X223A2, 835 005010X221A1, 999 005010X231A1, 277CA 005010X214).
A guide file lists the transaction set body in order; a loop is a nested list whose first segment
is its trigger, as X12 defines loops. A segment entry may carry qualifiers that tell it apart from
other segments with the same id (``q: {1: [EI, SY]}`` means element 01 is EI or SY;
``q: {"1-1": [ABK]}`` means the first component of element 01 is ABK).

Entry keys: ``seg`` (segment id) or ``loop`` (loop id) with ``body``; ``name``; ``usage`` (R
required, S situational, N not used); ``max`` (segment repeats, default 1) or ``repeat`` (loop
repeats, default 1; ``">1"`` for unbounded).
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from medbill.core.errors import DataError
from medbill.core.findings import Source
from medbill.x12.segment import Segment

UNBOUNDED = 10**9

GUIDE_FILES = {
    "837P": "837P.005010X222A1.yaml",
    "837I": "837I.005010X223A2.yaml",
    "835": "835.005010X221A1.yaml",
    "999": "999.005010X231A1.yaml",
    "277CA": "277CA.005010X214.yaml",
}


@dataclass(frozen=True, slots=True)
class SegmentRule:
    """One segment position in a loop, told apart from its siblings by qualifier values."""

    id: str
    name: str
    usage: str
    max_use: int
    match: tuple[tuple[int, int, frozenset[str]], ...] = ()

    def matches(self, seg: Segment) -> bool:
        elements = seg.elements
        for element, component, values in self.match:
            if component:
                value = seg.comp(element, component)
            else:
                value = elements[element] if element < len(elements) else ""
            if value not in values:
                return False
        return True

    @property
    def label(self) -> str:
        qualifier = ""
        if self.match:
            values = self.match[0][2]
            qualifier = "*" + "/".join(sorted(values))
        return f"{self.id}{qualifier} ({self.name})" if self.name else f"{self.id}{qualifier}"


@dataclass(slots=True)
class LoopRule:
    """A loop: its children in guide order, and an index from segment id to candidate positions."""

    id: str
    name: str
    usage: str
    repeat: int
    children: list["SegmentRule | LoopRule"] = field(default_factory=list)
    by_id: dict[str, list[tuple[int, int, "SegmentRule | LoopRule"]]] = field(default_factory=dict)
    required: tuple[int, ...] = ()

    @property
    def trigger(self) -> SegmentRule:
        first = self.children[0]
        assert isinstance(first, SegmentRule), f"loop {self.id} must start with a segment"
        return first

    @property
    def label(self) -> str:
        return f"loop {self.id} ({self.name})" if self.name else f"loop {self.id}"

    def index(self) -> None:
        """Build ``by_id``: for each segment id, ``(position, slot, child)`` in guide order.

        A slot is a position of the X12 standard: consecutive guide entries with the same segment
        id (REF*G1, REF*F8, ... or loops 2310A-F all starting with NM1) are uses of one standard
        position, and the standard does not order them among themselves.
        """
        self.by_id = {}
        self.required = tuple(i for i, child in enumerate(self.children) if child.usage == "R")
        slot = -1
        previous = None
        for position, child in enumerate(self.children):
            key = child.trigger.id if isinstance(child, LoopRule) else child.id
            if key != previous:
                slot += 1
                previous = key
            self.by_id.setdefault(key, []).append((position, slot, child))


@dataclass(frozen=True, slots=True)
class Guide:
    """A compiled implementation guide."""

    key: str
    transaction: str
    version: str
    name: str
    accepts: tuple[str, ...]
    root: LoopRule
    segment_ids: frozenset[str]

    @property
    def source(self) -> Source:
        return Source(name=f"ASC X12 {self.version} {self.name} (TR3 structure)", release=self.version)


def _repeat(value: Any) -> int:
    if value is None:
        return 1
    if isinstance(value, str) and value.startswith(">"):
        return UNBOUNDED
    return int(value)


def _match(spec: dict[Any, Any] | None) -> tuple[tuple[int, int, frozenset[str]], ...]:
    if not spec:
        return ()
    out = []
    for key, values in spec.items():
        element, _, component = str(key).partition("-")
        codes = values if isinstance(values, list) else [values]
        out.append((int(element), int(component or 0), frozenset(str(v) for v in codes)))
    return tuple(out)


def _compile(
    entries: list[dict[str, Any]], ids: set[str], memo: dict[int, LoopRule]
) -> list["SegmentRule | LoopRule"]:
    children: list[SegmentRule | LoopRule] = []
    for entry in entries:
        if "loop" in entry:
            cached = memo.get(id(entry))
            if cached is None:
                cached = LoopRule(
                    id=str(entry["loop"]),
                    name=entry.get("name", ""),
                    usage=entry.get("usage", "S"),
                    repeat=_repeat(entry.get("repeat")),
                )
                memo[id(entry)] = cached
                cached.children = _compile(entry["body"], ids, memo)
                cached.index()
            children.append(cached)
        else:
            seg_id = str(entry["seg"])
            ids.add(seg_id)
            children.append(
                SegmentRule(
                    id=seg_id,
                    name=entry.get("name", ""),
                    usage=entry.get("usage", "S"),
                    max_use=_repeat(entry.get("max")),
                    match=_match(entry.get("q")),
                )
            )
    return children


def compile_guide(data: dict[str, Any]) -> Guide:
    """Compile guide data (as loaded from YAML) into rules the structure parser walks."""
    ids: set[str] = set()
    root = LoopRule(id="ST", name=str(data["name"]), usage="R", repeat=1)
    root.children = _compile(data["body"], ids, {})
    root.index()
    return Guide(
        key=str(data["key"]),
        transaction=str(data["transaction"]),
        version=str(data["version"]),
        name=str(data["name"]),
        accepts=tuple(str(v) for v in data.get("accepts", [data["version"]])),
        root=root,
        segment_ids=frozenset(ids),
    )


@cache
def load_guide(key: str) -> Guide:
    """The compiled guide for ``key`` (``837P``, ``837I``, ``835``, ``999``, ``277CA``)."""
    name = GUIDE_FILES.get(key)
    if name is None:
        raise DataError(f"no X12 implementation guide for {key!r}; known: {', '.join(GUIDE_FILES)}")
    text = resources.files("medbill.x12.guides").joinpath(name).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return compile_guide(yaml.load(text, Loader=loader))
