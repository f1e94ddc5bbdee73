"""The CodiEsp corpus (CLEF eHealth 2020 Task 1) as published: one folder per split.

A split folder holds `text_files/` (Spanish), `text_files_en/` (machine-translated English, one
sentence per line), and tab-separated gold files without header: `<split>D.tsv` and `<split>P.tsv`
(articleID, code) and `<split>X.tsv` (articleID, label, code, Spanish evidence, `start end` offsets
into the Spanish text, discontinuous pieces joined by `;`). Codes are CIE-10-ES 2018, lower case,
diagnoses with a dot (`n20.0`), procedures 7 characters or their first 4 (`bw03zzz`, `0ttb`).
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from medbill.core.errors import InputError


class Track(StrEnum):
    """CodiEsp-D (diagnoses, ICD-10-CM) and CodiEsp-P (procedures, ICD-10-PCS)."""

    D = "D"
    P = "P"


@dataclass(frozen=True, slots=True)
class Reference:
    """One CodiEsp-X row: a code and where its evidence is in the Spanish text."""

    document: str
    label: str
    code: str
    text: str
    spans: tuple[tuple[int, int], ...]

    @property
    def is_procedure(self) -> bool:
        return self.label.upper().startswith("PROC")


def split_name(split_dir: Path) -> str:
    """The split's name as used in its file names (`train`, `dev`, `test`)."""
    return split_dir.resolve().name


def _gold_path(split_dir: Path, suffix: str) -> Path:
    path = split_dir / f"{split_name(split_dir)}{suffix}.tsv"
    if path.is_file():
        return path
    found = sorted(split_dir.glob(f"*{suffix}.tsv"))
    if len(found) == 1:
        return found[0]
    raise InputError(f"{split_dir}: no gold file {path.name} (expected a CodiEsp split folder)")


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if not row or not row[0].strip():
                continue
            if len(row) < 2:
                raise InputError(f"{path}:{number}: expected tab-separated columns, got {row!r}")
            yield row


def load_gold(split_dir: Path, track: Track) -> dict[str, list[str]]:
    """Gold codes per document, lower-cased, in file order, each once."""
    gold: dict[str, list[str]] = {}
    for row in _rows(_gold_path(split_dir, track.value)):
        codes = gold.setdefault(row[0].strip(), [])
        code = row[1].strip().lower()
        if code not in codes:
            codes.append(code)
    return gold


def load_references(split_dir: Path) -> list[Reference]:
    """The CodiEsp-X rows of a split."""
    out = []
    for row in _rows(_gold_path(split_dir, "X")):
        if len(row) < 5:
            continue
        spans = []
        for piece in row[4].split(";"):
            start, _, end = piece.strip().partition(" ")
            if start.isdigit() and end.isdigit():
                spans.append((int(start), int(end)))
        out.append(Reference(row[0].strip(), row[1].strip(), row[2].strip().lower(), row[3], tuple(spans)))
    return out


def text_dir(split_dir: Path, language: str = "en") -> Path:
    folder = split_dir / ("text_files_en" if language == "en" else "text_files")
    if not folder.is_dir():
        raise InputError(f"{split_dir}: no {folder.name}/ folder (expected a CodiEsp split folder)")
    return folder


def documents(split_dir: Path, language: str = "en") -> dict[str, str]:
    """Document id → text, sorted by id."""
    return {
        p.stem: p.read_text(encoding="utf-8") for p in sorted(text_dir(split_dir, language).glob("*.txt"))
    }


def is_diagnosis_code(code: str) -> bool:
    """CodiEsp-D codes have a dot or are 3-character categories; PCS codes are 4 or 7 characters, no dot."""
    return "." in code or len(code) == 3
