"""X12 delimiters, read from the ISA segment that opens every interchange.

ISA is the one segment with a fixed layout: 16 elements, the element separator is the character
right after ``ISA``, ISA11 is the repetition separator (5010), ISA16 the component (sub-element)
separator, and the character after ISA16 terminates the segment. Senders pad ISA to 106
characters, but some do not, so the elements are counted rather than assumed at fixed offsets.

>>> Delimiters.from_isa("ISA*00*          *00*          *ZZ*A              *ZZ*B              "
...                     "*260101*1200*^*00501*000000001*0*T*:~GS*")
Delimiters(element='*', component=':', repetition='^', segment='~')
"""

from dataclasses import dataclass

from medbill.core.errors import InputError

ISA_ELEMENTS = 16


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four separators of an interchange; ``repetition`` is None when ISA11 is not a separator."""

    element: str = "*"
    component: str = ":"
    repetition: str | None = "^"
    segment: str = "~"

    def __post_init__(self) -> None:
        chars = [self.element, self.component, self.segment]
        if self.repetition is not None:
            chars.append(self.repetition)
        for char in chars:
            if len(char) != 1 or char.isalnum() or char == " ":
                raise InputError(
                    f"X12 delimiter {char!r} must be one character, not a letter, digit or space"
                )
        if len(set(chars)) != len(chars):
            raise InputError(f"X12 delimiters must all differ: {chars!r}")

    @classmethod
    def from_isa(cls, text: str) -> "Delimiters":
        """Read the delimiters from text that starts with an ISA segment (at least 106 characters)."""
        if not text.startswith("ISA") or len(text) < 4:
            raise InputError("not an X12 interchange: the data does not start with an ISA segment")
        element = text[3]
        if element.isalnum() or element.isspace():
            raise InputError(f"ISA: element separator {element!r} is a letter, digit or space")
        positions: list[int] = []
        start = 0
        while len(positions) < ISA_ELEMENTS:
            found = text.find(element, start)
            if found < 0:
                break
            positions.append(found)
            start = found + 1
        if len(positions) < ISA_ELEMENTS:
            raise InputError("ISA: fewer than 16 elements before the end of the data (truncated interchange)")
        isa16_at = positions[-1] + 1
        if isa16_at + 1 >= len(text):
            raise InputError("ISA: no segment terminator after ISA16 (truncated interchange)")
        component = text[isa16_at]
        segment = text[isa16_at + 1]
        isa11 = text[positions[10] + 1 : positions[11]]
        isa12 = text[positions[11] + 1 : positions[12]]
        repetition: str | None = None
        if (
            len(isa11) == 1
            and not isa11.isalnum()
            and isa11 not in (" ", element, component, segment)
            and isa12 >= "00501"
        ):
            repetition = isa11
        return cls(element=element, component=component, repetition=repetition, segment=segment)


DEFAULT = Delimiters()
