"""Parser of the CDC ICD-10-CM Tabular List XML (`icd10cm-tabular-*.xml`, root `ICD10CM.tabular`).

Yields chapters, blocks (the XML's `<section>`) and every code: the `<diag>` elements, plus the
codes that a 7th character makes — a `<sevenChrDef>` applies to every leaf below the `<diag>` that
carries it (the nearest definition wins), and a leaf shorter than six characters takes placeholder
`X`s before its 7th character (`T07` + `A` → `T07.XXXA`). A code is billable when it is a leaf
that needs no 7th character, or a 7th-character code.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from medbill.core.errors import DataError

#: XML element → note type, as the notes are keyed in the knowledge base and the API.
NOTE_TAGS = {
    "inclusionTerm": "inclusion_terms",
    "includes": "includes",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "notes": "notes",
    "sevenChrNote": "seventh_character_note",
}
NOTE_TYPES = tuple(NOTE_TAGS.values())


@dataclass(frozen=True, slots=True)
class TabularChapter:
    number: str
    description: str
    first: str
    last: str
    notes: dict[str, tuple[str, ...]] = field(hash=False)


@dataclass(frozen=True, slots=True)
class TabularBlock:
    id: str
    description: str
    first: str
    last: str
    chapter: str
    notes: dict[str, tuple[str, ...]] = field(hash=False)


@dataclass(frozen=True, slots=True)
class TabularCode:
    code: str  # dotted, as printed in the Tabular
    description: str
    parent: str | None
    chapter: str
    block: str
    depth: int  # 1 = category
    billable: bool
    notes: dict[str, tuple[str, ...]] = field(hash=False)
    seventh: tuple[tuple[str, str], ...] = ()  # 7th-character definitions given at this code
    seventh_from: str | None = None  # the code whose 7th-character definition made this code
    placeholder: bool = False


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _notes(element: ET.Element) -> dict[str, tuple[str, ...]]:
    notes: dict[str, tuple[str, ...]] = {}
    for child in element:
        kind = NOTE_TAGS.get(child.tag)
        if kind is None:
            continue
        texts = tuple(_text(n) for n in child.findall("note"))
        notes[kind] = notes.get(kind, ()) + texts
    return notes


def _seventh(element: ET.Element) -> tuple[tuple[str, str], ...]:
    definition = element.find("sevenChrDef")
    if definition is None:
        return ()
    return tuple((e.get("char", ""), _text(e)) for e in definition.findall("extension"))


_SEVENTH_EXCEPTION = re.compile(
    r"7th characters? (?P<chars>[A-Z](?:(?:,| and| or) [A-Z])*) do(?:es)? not apply to codes in "
    r"(?:sub)?category (?P<scope>[A-Z0-9.]+) with (?P<pos>\d)th character (?P<values>.*)",
)


def seventh_exceptions(notes: dict[str, tuple[str, ...]]) -> list[tuple[frozenset[str], int, frozenset[str]]]:
    """Rules such as "7th characters D and S do not apply to codes in category S06 with 6th character
    7 ..., or 8 ...": (excluded 7th characters, position, character values at that position)."""
    rules = []
    for text in notes.get("notes", ()):
        match = _SEVENTH_EXCEPTION.search(text)
        if match is None:
            continue
        chars = frozenset(re.findall(r"[A-Z]", match.group("chars")))
        values = frozenset(re.findall(r"(?:^|, or |, | or )([0-9A-Z]) -", match.group("values")))
        rules.append((chars, int(match.group("pos")), values))
    return rules


def seventh_code(code: str, char: str) -> str:
    """`S72.001` + `A` → `S72.001A`; `T07` + `A` → `T07.XXXA` (placeholder X up to six characters)."""
    plain = code.replace(".", "").ljust(6, "X") + char
    return f"{plain[:3]}.{plain[3:]}"


@dataclass
class TabularFile:
    """The parsed content of one Tabular XML file."""

    version: str
    chapters: list[TabularChapter]
    blocks: list[TabularBlock]
    codes: list[TabularCode]


def _walk(
    diag: ET.Element,
    parent: str | None,
    chapter: str,
    block: str,
    depth: int,
    inherited: tuple[tuple[str, str], ...],
    inherited_from: str | None,
    exceptions: list[tuple[frozenset[str], int, frozenset[str]]],
    out: list[TabularCode],
) -> None:
    code = _text(diag.find("name"))
    description = _text(diag.find("desc"))
    own_seventh = _seventh(diag)
    notes = _notes(diag)
    exceptions = exceptions + seventh_exceptions(notes)
    seventh, seventh_from = (own_seventh, code) if own_seventh else (inherited, inherited_from)
    children = diag.findall("diag")
    needs_seventh = not children and bool(seventh)
    out.append(
        TabularCode(
            code=code,
            description=description,
            parent=parent,
            chapter=chapter,
            block=block,
            depth=depth,
            billable=not children and not needs_seventh,
            notes=notes,
            seventh=own_seventh,
            placeholder=diag.get("placeholder") == "true",
        )
    )
    for child in children:
        _walk(child, code, chapter, block, depth + 1, seventh, seventh_from, exceptions, out)
    if needs_seventh:
        plain = code.replace(".", "").ljust(6, "X")
        for char, meaning in seventh:
            if any(char in chars and plain[pos - 1] in values for chars, pos, values in exceptions):
                continue
            derived = seventh_code(code, char)
            out.append(
                TabularCode(
                    code=derived,
                    description=f"{description}, {meaning}",
                    parent=code,
                    chapter=chapter,
                    block=block,
                    depth=depth + 1,
                    billable=True,
                    notes={},
                    seventh_from=seventh_from,
                    placeholder="X" in derived[4:7] and len(code.replace(".", "")) < 6,
                )
            )


def parse_tabular(path: Path) -> TabularFile:
    """Parse a Tabular XML file; `DataError` names the file when it is not one."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DataError(f"{path}: not a readable ICD-10-CM Tabular XML file ({exc})") from None
    if root.tag != "ICD10CM.tabular":
        raise DataError(f"{path}: root element is <{root.tag}>, expected <ICD10CM.tabular>")
    chapters: list[TabularChapter] = []
    blocks: list[TabularBlock] = []
    codes: list[TabularCode] = []
    for chapter in root.findall("chapter"):
        number = _text(chapter.find("name"))
        refs = chapter.findall("sectionIndex/sectionRef")
        chapters.append(
            TabularChapter(
                number=number,
                description=_text(chapter.find("desc")),
                first=refs[0].get("first", "") if refs else "",
                last=refs[-1].get("last", "") if refs else "",
                notes=_notes(chapter),
            )
        )
        for section in chapter.findall("section"):
            block_id = section.get("id", "")
            first, _, last = block_id.partition("-")
            blocks.append(
                TabularBlock(
                    id=block_id,
                    description=_text(section.find("desc")),
                    first=first,
                    last=last or first,
                    chapter=number,
                    notes=_notes(section),
                )
            )
            for diag in section.findall("diag"):
                _walk(diag, None, number, block_id, 1, (), None, [], codes)
    if not codes:
        raise DataError(f"{path}: no codes found (truncated file?)")
    return TabularFile(version=_text(root.find("version")), chapters=chapters, blocks=blocks, codes=codes)


def iter_billable(tabular: TabularFile) -> Iterator[TabularCode]:
    return (c for c in tabular.codes if c.billable)
