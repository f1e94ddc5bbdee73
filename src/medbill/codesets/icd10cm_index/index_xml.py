"""Parser of the CDC ICD-10-CM index XML files (root `ICD10CM.index`).

One schema serves the Alphabetic Index to Diseases and Injuries (`icd10cm-index-*.xml`), the
External Cause of Injuries Index (`icd10cm-eindex-*.xml`), the Neoplasm table and the Table of Drugs
and Chemicals (`icd10cm-neoplasm-*.xml`, `icd10cm-drug-*.xml`): `<letter>` → `<mainTerm>` → nested
`<term level="N">`, each with a `<title>` (nonessential modifiers in `<nemod>`), and optionally
`<code>`, `<manif>` (a manifestation code, printed in brackets), `<see>`, `<seeAlso>`, `<subcat>`,
`<seecat>`, and, in the two tables, `<cell col="2..7">` under the `<indexHeading>` column heads.
A cell `--` (or `-`) means "not applicable"; a code ending in `-` needs more characters.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from medbill.core.errors import DataError

NOT_APPLICABLE = {"--", "-", ""}


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One main term or subterm, flattened with its ancestry."""

    id: int
    parent: int | None
    level: int  # 0 = main term
    title: str  # essential words
    nemod: str  # nonessential modifiers, as printed in parentheses
    code: str
    manif: str
    see: str
    see_also: str
    subcat: str
    seecat: str
    path: tuple[str, ...]  # titles from the main term down to this entry
    cells: tuple[tuple[int, str, str], ...] = field(default=())  # (column, heading, code)


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _title(element: ET.Element) -> tuple[str, str]:
    title = element.find("title")
    if title is None:
        return "", ""
    nemod = " ".join(_text(n) for n in title.findall("nemod"))
    essential = " ".join((title.text or "").split())
    tail = " ".join(" ".join((n.tail or "").split()) for n in title.findall("nemod")).strip()
    return " ".join(p for p in (essential, tail) if p), nemod


def _walk(
    element: ET.Element,
    parent: int | None,
    level: int,
    path: tuple[str, ...],
    headings: dict[int, str],
    counter: list[int],
) -> Iterator[IndexEntry]:
    title, nemod = _title(element)
    counter[0] += 1
    me = counter[0]
    here = (*path, title)
    cells = []
    for cell in element.findall("cell"):
        col = int(cell.get("col", "0"))
        value = _text(cell)
        if value not in NOT_APPLICABLE:
            cells.append((col, headings.get(col, f"column {col}"), value))
    yield IndexEntry(
        id=me,
        parent=parent,
        level=level,
        title=title,
        nemod=nemod,
        code=_text(element.find("code")),
        manif=_text(element.find("manif")),
        see=_text(element.find("see")),
        see_also=_text(element.find("seeAlso")),
        subcat=_text(element.find("subcat")),
        seecat=_text(element.find("seecat")),
        path=here,
        cells=tuple(cells),
    )
    for child in element.findall("term"):
        yield from _walk(child, me, level + 1, here, headings, counter)


def parse_index(path: Path) -> tuple[dict[int, str], list[IndexEntry]]:
    """(column headings, entries in document order); `DataError` names the file when unreadable."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DataError(f"{path}: not a readable ICD-10-CM index XML file ({exc})") from None
    if root.tag != "ICD10CM.index":
        raise DataError(f"{path}: root element is <{root.tag}>, expected <ICD10CM.index>")
    headings = {int(h.get("col", "0")): _text(h) for h in root.findall("indexHeading/head")}
    counter = [0]
    entries: list[IndexEntry] = []
    for letter in root.findall("letter"):
        for main in letter.findall("mainTerm"):
            entries.extend(_walk(main, None, 0, (), headings, counter))
    if not entries:
        raise DataError(f"{path}: no index terms found (truncated file?)")
    return headings, entries
