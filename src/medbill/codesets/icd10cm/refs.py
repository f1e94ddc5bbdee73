"""Code references inside ICD-10-CM notes, and the concrete code ranges they stand for.

Tabular notes cite codes in parentheses: `(E10.-)` (a category and everything under it),
`(S72.0-)`, `(I10-I16)` (a range of categories), `(O00-O9A)`, `(E08.42, E09.42)`. A `CodeRange`
holds the first and last prefixes, without dots; a code falls in it when its prefix of the same
length lies between them.

>>> [str(r) for r in parse_refs("hypertensive disease (I10-I16) and diabetes (E10.-, E11.-)")]
['I10-I16', 'E10-E10', 'E11-E11']
>>> CodeRange("I10", "I16").contains("I13.10"), CodeRange("O00", "O9A").contains("O99.89")
(True, True)
"""

import re
from dataclasses import dataclass

_CODE = r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.[0-9A-Z]{0,4})?"
_REF = re.compile(rf"(?<![0-9A-Za-z])(?P<a>{_CODE})(?:-(?P<b>{_CODE})\.?-?|\.?-)?(?![0-9A-Za-z])")
_PAREN = re.compile(r"\(([^()]*)\)")


def undotted(code: str) -> str:
    """`E11.65` → `E1165` (upper-case, dots and spaces removed)."""
    return code.replace(".", "").replace(" ", "").upper()


def dotted(code: str) -> str:
    """`E1165` → `E11.65`; category codes (3 characters) stay as they are."""
    code = undotted(code)
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@dataclass(frozen=True, slots=True, order=True)
class CodeRange:
    """All codes whose prefix lies between `first` and `last` (undotted prefixes)."""

    first: str
    last: str

    def contains(self, code: str) -> bool:
        key = undotted(code)
        return self.first <= key[: len(self.first)] and key[: len(self.last)] <= self.last

    @property
    def sql_bounds(self) -> tuple[str, str]:
        """Bounds for `code BETWEEN ? AND ?` over undotted codes."""
        return self.first, self.last + "~"

    def __str__(self) -> str:
        return f"{dotted(self.first)}-{dotted(self.last)}"


def parse_refs(text: str) -> list[CodeRange]:
    """The code ranges cited in parentheses in a note's text, in order, without repeats."""
    found: list[CodeRange] = []
    for group in _PAREN.findall(text):
        for match in _REF.finditer(group):
            first = undotted(match.group("a").rstrip("."))
            last = undotted(match.group("b").rstrip(".")) if match.group("b") else first
            item = CodeRange(first, last)
            if item not in found:
                found.append(item)
    return found
