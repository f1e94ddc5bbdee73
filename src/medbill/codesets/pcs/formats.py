"""Readers of the CMS ICD-10-PCS release files.

- Tables XML (`icd10pcs_tables_YYYY.xml`, root `ICD10PCS.tabular`): each `<pcsTable>` fixes the first
  three characters (`<axis pos="1|2|3">`: section, body system, operation with its definition); each
  `<pcsRow>` lists the allowed values of characters 4-7; the valid codes are the row's cross product.
- Codes file (`icd10pcs_codes_YYYY.txt`, inside the CMS zip): `CODE DESCRIPTION`, fixed width.
- Index XML (`icd10pcs_index_YYYY.xml`): `<mainTerm>`/`<term level>` with `<title>`, `<code>` (a
  complete code), `<codes>` or `<tab>` (a table to look in), `<use>` (an axis value), `<see>`.
- Definitions XML (`icd10pcs_definitions_YYYY.xml`): per section and axis, terms with definitions.
"""

import io
import itertools
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medbill.core.errors import DataError

AXES = ("section", "body_system", "operation", "body_part", "approach", "device", "qualifier")


@dataclass(frozen=True, slots=True)
class PcsTable:
    prefix: str
    labels: tuple[str, str, str]  # section, body system, operation
    definition: str
    rows: tuple[tuple[tuple[tuple[str, str], ...], ...], ...]  # row → axis 4..7 → (code char, label)


@dataclass(frozen=True, slots=True)
class PcsIndexEntry:
    id: int
    parent: int | None
    level: int
    title: str
    code: str
    table: str
    use: str
    see: str
    path: tuple[str, ...]


def _parse(path: Path, root_tag: str) -> ET.Element:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DataError(f"{path}: not a readable ICD-10-PCS XML file ({exc})") from None
    if root.tag != root_tag:
        raise DataError(f"{path}: root element is <{root.tag}>, expected <{root_tag}>")
    return root


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def read_tables(path: Path) -> list[PcsTable]:
    root = _parse(path, "ICD10PCS.tabular")
    tables = []
    for table in root.findall("pcsTable"):
        head = {int(a.get("pos", "0")): a for a in table.findall("axis")}
        if set(head) != {1, 2, 3}:
            raise DataError(f"{path}: a <pcsTable> lacks its first three axes")
        chars = "".join(head[p].find("label").get("code", "") for p in (1, 2, 3))  # type: ignore[union-attr]
        labels = (_text(head[1].find("label")), _text(head[2].find("label")), _text(head[3].find("label")))
        rows = []
        for row in table.findall("pcsRow"):
            axes = sorted(row.findall("axis"), key=lambda a: int(a.get("pos", "0")))
            rows.append(
                tuple(
                    tuple((lab.get("code", ""), _text(lab)) for lab in axis.findall("label")) for axis in axes
                )
            )
        tables.append(PcsTable(chars, labels, _text(head[3].find("definition")), tuple(rows)))
    if not tables:
        raise DataError(f"{path}: no <pcsTable> found (truncated file?)")
    return tables


def compose_title(table: PcsTable, values: tuple[tuple[str, str], ...]) -> str:
    """A readable title built from the axis labels (the tables carry no code titles)."""
    body_part, approach, device, qualifier = (label for _, label in values)
    text = f"{table.labels[2]} {body_part}"
    if qualifier and qualifier != "No Qualifier":
        text += f", {qualifier}"
    if device and device != "No Device":
        text += f", with {device}"
    return f"{text}, {approach} Approach"


def table_codes(table: PcsTable) -> Iterator[tuple[str, str, int]]:
    """(code, composed title, row number) for every valid code of a table."""
    for n, row in enumerate(table.rows):
        if len(row) != 4:
            continue
        for values in itertools.product(*row):
            yield table.prefix + "".join(c for c, _ in values), compose_title(table, values), n


def read_codes_file(path: Path) -> Iterator[tuple[str, str]]:
    """(code, long title) from the codes file, or from the CMS zip that holds it."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [
                n
                for n in zf.namelist()
                if n.lower().startswith("icd10pcs_codes") and n.lower().endswith(".txt")
            ]
            if not names:
                raise DataError(f"{path}: no icd10pcs_codes_*.txt inside the zip")
            text = io.TextIOWrapper(zf.open(names[0]), encoding="utf-8", errors="strict").read()
    else:
        text = path.read_text(encoding="utf-8")
    count = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, _, title = line.partition(" ")
        if len(code) != 7:
            raise DataError(f"{path}: line {n} does not start with a 7-character ICD-10-PCS code")
        count += 1
        yield code, title.strip()
    if count == 0:
        raise DataError(f"{path}: no codes found")


def read_index(path: Path) -> list[PcsIndexEntry]:
    root = _parse(path, "ICD10PCS.index")
    out: list[PcsIndexEntry] = []

    def walk(element: ET.Element, parent: int | None, level: int, trail: tuple[str, ...]) -> None:
        see = element.find("see")
        title = _text(element.find("title"))
        table = _text(element.find("codes")) or _text(element.find("tab"))
        if see is not None:
            table = table or _text(see.find("codes")) or _text(see.find("tab"))
        here = (*trail, title) if title else trail
        entry = PcsIndexEntry(
            id=len(out) + 1,
            parent=parent,
            level=level,
            title=title,
            code=_text(element.find("code")),
            table=table,
            use=_text(element.find("use")),
            see=" ".join((see.text or "").split()) if see is not None else "",
            path=here,
        )
        out.append(entry)
        for child in element.findall("term"):
            walk(child, entry.id, level + 1, here)

    for letter in root.findall("letter"):
        for main in letter.findall("mainTerm"):
            walk(main, None, 0, ())
    if not out:
        raise DataError(f"{path}: no index terms found")
    return out


def read_definitions(path: Path) -> Iterator[tuple[str, int, str, str, str, str]]:
    """(section code, axis position, term, definition, explanation, includes)."""
    root = _parse(path, "ICD10PCS.definitions")
    for section in root.findall("section"):
        for axis in section.findall("axis"):
            pos = int(axis.get("pos", "0"))
            for term in axis.findall("terms"):
                includes = "; ".join(_text(i) for i in term.findall("includes"))
                yield (
                    section.get("code", ""),
                    pos,
                    _text(term.find("title")),
                    _text(term.find("definition")),
                    _text(term.find("explanation")),
                    includes,
                )
