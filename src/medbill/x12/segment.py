"""One X12 segment as read from a file: its id, its elements, and where it was found.

Elements are numbered as the guides number them: ``seg.el(1)`` is CLM01. Composite elements and
repetitions are split only when a mapper asks (``seg.comp(5, 3)`` is CLM05-3), so the lexer does
no more work than splitting on the element separator.

>>> from medbill.x12.delimiters import DEFAULT
>>> seg = Segment(["CLM", "A1", "100", "", "", "11:B:1"], 7, DEFAULT)
>>> seg.el(1), seg.comp(5, 1), seg.comp(5, 3), seg.el(9), seg.where
('A1', '11', '1', '', 'segment 7 (CLM)')
"""

from collections.abc import Sequence

from medbill.x12.delimiters import Delimiters


class Segment:
    """A segment: ``elements[0]`` is the segment id, ``elements[i]`` is element ``i``."""

    __slots__ = ("delimiters", "elements", "id", "position")

    def __init__(self, elements: list[str], position: int, delimiters: Delimiters) -> None:
        self.elements = elements
        self.id = elements[0]
        self.position = position
        self.delimiters = delimiters

    def el(self, index: int) -> str:
        """Element ``index`` (1-based), or ``""`` when the segment is shorter."""
        elements = self.elements
        return elements[index] if index < len(elements) else ""

    def components(self, index: int) -> list[str]:
        """The components of composite element ``index`` (``[]`` when the element is empty)."""
        value = self.el(index)
        return value.split(self.delimiters.component) if value else []

    def comp(self, index: int, component: int) -> str:
        """Component ``component`` (1-based) of element ``index``, or ``""``."""
        parts = self.components(index)
        return parts[component - 1] if component <= len(parts) else ""

    def repeats(self, index: int) -> list[str]:
        """The repetitions of element ``index`` (one item when the element does not repeat)."""
        value = self.el(index)
        if not value:
            return []
        separator = self.delimiters.repetition
        return value.split(separator) if separator else [value]

    @property
    def where(self) -> str:
        """Human-readable position for findings, e.g. ``segment 12 (CLP)``."""
        return f"segment {self.position} ({self.id})"

    def render(self, delimiters: Delimiters | None = None) -> str:
        """The segment text without its terminator, in ``delimiters`` (default: those it was read with)."""
        d = delimiters or self.delimiters
        if d == self.delimiters:
            return d.element.join(self.elements)
        return d.element.join(_recode(value, self.delimiters, d) for value in self.elements)

    def __repr__(self) -> str:
        return f"Segment({self.render()!r} @ {self.position})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Segment):
            return NotImplemented
        return self.elements == other.elements

    __hash__ = None  # type: ignore[assignment]


def _recode(value: str, source: Delimiters, target: Delimiters) -> str:
    reps = value.split(source.repetition) if source.repetition else [value]
    out = []
    for rep in reps:
        out.append(target.component.join(rep.split(source.component)))
    return (target.repetition or "").join(out)


def trim_elements(values: Sequence[str]) -> list[str]:
    """Drop trailing empty elements, as X12 requires.

    >>> trim_elements(["NM1", "85", "2", "", "", ""])
    ['NM1', '85', '2']
    """
    end = len(values)
    while end > 1 and values[end - 1] == "":
        end -= 1
    return list(values[:end])
