"""Adapters from the knowledge base (`medbill.codesets.open_kb`) to the scrubber's lookups.

Each adapter memoises its answers per (release, code), so a batch asks SQLite once per distinct
code, and picks the release in force on the date of service. When no installed release covers a
date (e.g. the ICD-10-CM April 2026 update for a January service), the nearest installed release
answers and the finding's source says so; validity findings from such a fallback are warnings.

Adapters hold the knowledge base's path, not its connection, when pickled: a Dask worker reopens
the (read-only) file.
"""

import datetime as dt
import re
import sqlite3
from typing import Any

from medbill.core.claim import Sex
from medbill.core.dates import EffectiveRange
from medbill.core.errors import DataError
from medbill.core.findings import Source
from medbill.rules.reference import AgeEdit, CodeStatus, DxInfo, Reference

_MALE = re.compile(r"\bmale genital|\bmale breast|\bprostat|\btestic|\bscrot|\bpenis|\bpenile")
_FEMALE = re.compile(r"\bfemale genital|\bfemale pelvic|\bovar|\buter(us|ine)\b|\bcervix|\bvagin|\bvulv")
PREGNANCY_CHAPTER = "15"
# "Code first any associated influenza, if applicable" asks for a code when there is one; it does not
# make the code a manifestation (nor does "Code first any associated: ...").
_CONDITIONAL = re.compile(r"\bif (applicable|known|present)\b|^\s*any\b", re.IGNORECASE)


class _KbPart:
    """Common ground: the kb, its path for pickling, release choice with a fallback."""

    selector = ""
    what = ""

    def __init__(self, kb: Any) -> None:
        self.kb = kb
        self._releases: dict[dt.date, tuple[Any, str]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["kb"] = str(self.kb.path)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        from medbill.codesets import open_kb

        self.__dict__.update(state)
        self.kb = open_kb(__import__("pathlib").Path(state["kb"]))

    def release(self, on: dt.date) -> tuple[Any, str]:
        """(release in force on `on`, note) — the nearest installed release with a note when none is."""
        found = self._releases.get(on)
        if found is None:
            candidates = self.kb.releases_of(self.selector)
            if not candidates:
                raise DataError(f"{self.what} is not in the knowledge base")
            in_force = [r for r in candidates if r.effective.contains(on)]
            if in_force:
                found = (max(in_force, key=lambda r: r.effective.start), "")
            else:
                nearest = min(candidates, key=lambda r: _distance(r.effective, on))
                found = (
                    nearest,
                    f"{nearest.name} used: no {self.what} release for {on.isoformat()} is installed",
                )
            self._releases[on] = found
        return found

    def covers(self, on: dt.date) -> bool:
        return not self.release(on)[1]

    def source(self, on: dt.date) -> Source:
        release, note = self.release(on)
        text = release.name + (f" ({note})" if note else "")
        return Source(
            name=release.publisher or self.what, release=text, effective=release.effective.start.isoformat()
        )


def _distance(span: EffectiveRange, on: dt.date) -> int:
    if on < span.start:
        return (span.start - on).days
    return (on - span.end).days if span.end and on > span.end else 0


class KbIcd10cm(_KbPart):
    selector = "icd10cm/tabular"
    what = "ICD-10-CM Tabular"

    def __init__(self, kb: Any) -> None:
        super().__init__(kb)
        self._codes: dict[tuple[str, str], DxInfo | None] = {}

    def get(self, code: str, on: dt.date) -> DxInfo | None:
        release, note = self.release(on)
        key = (release.id, code)
        if key not in self._codes:
            self._codes[key] = self._load(code, release, note)
        return self._codes[key]

    def _load(self, code: str, release: Any, note: str) -> DxInfo | None:
        icd = self.kb.icd10cm
        day = release.effective.start
        record = icd.get(code, on=day)
        if record is None:
            return None
        ancestors = {record.code.replace(".", ""), *(p.replace(".", "") for p in record.parents)}
        excludes = tuple(
            ref for note_ in icd.excludes1(code, on=day) for ref in excluded_refs(note_.text, note_.ranges)
        )
        code_first = "classified elsewhere" in record.description.lower() or _unconditional_code_first(
            icd.applicable_notes(code, "code_first", on=day), ancestors
        )
        source = Source(
            name="ICD-10-CM Tabular List (CDC/NCHS)",
            release=release.name + (f" ({note})" if note else ""),
            effective=release.effective.start.isoformat(),
        )
        return DxInfo(
            code=record.code,
            billable=record.billable,
            source=source,
            description=record.description,
            children=record.children,
            excludes1=excludes,
            code_first=code_first,
            sex=self._sex(record, day),
            seventh_characters=tuple(s.char for s in record.seventh_characters)
            if not record.children
            else (),
            fallback=bool(note),
        )

    def _sex(self, record: Any, day: dt.date) -> Sex | None:
        """The sex a code is limited to, from the Tabular: chapter 15 (pregnancy) and the chapters'
        blocks and categories named for male or female organs."""
        if record.chapter == PREGNANCY_CHAPTER:
            return Sex.FEMALE
        texts = [record.block_description.lower()]
        category = record.parents[0] if record.parents else record.code
        found = self.kb.icd10cm.get(category, on=day)
        if found is not None:
            texts.append(found.description.lower())
        text = " ".join(texts)
        female, male = bool(_FEMALE.search(text)), bool(_MALE.search(text))
        if female and not male:
            return Sex.FEMALE
        if male and not female:
            return Sex.MALE
        return None


_WITH_SUFFIX = re.compile(r"\b([A-Z]\d\d)-([A-Z]\d\d) with (\.\w+)")
_WITH_FIFTH = re.compile(r"\b([A-Z]\d\d)\.(\d)-([A-Z]\d\d)\.(\d) with fifth character (\w)")


def excluded_refs(text: str, ranges: Any) -> list[str]:
    """The code references of an Excludes1 note, narrowed where its text says "with .42" or
    "with fifth character 1" (the range alone would exclude every code of those categories).

    >>> excluded_refs("diabetes mellitus (E08-E13 with .42)", ["E08-E13"])
    ['E08.42', 'E09.42', 'E10.42', 'E11.42', 'E12.42', 'E13.42']
    >>> excluded_refs("mononucleosis (B27.0-B27.9 with fifth character 1)", ["B27.0-B27.9"])[:2]
    ['B27.01', 'B27.11']
    """
    refs = [str(r) for r in ranges]
    narrowed: list[str] = []
    for first, last, suffix in _WITH_SUFFIX.findall(text):
        if first[0] == last[0]:
            refs = [r for r in refs if r.replace(".", "") != f"{first}-{last}"]
            narrowed += [f"{first[0]}{n:02d}{suffix}" for n in range(int(first[1:]), int(last[1:]) + 1)]
    for category, low, category2, high, fifth in _WITH_FIFTH.findall(text):
        if category == category2:
            refs = [r for r in refs if r != f"{category}.{low}-{category}.{high}"]
            narrowed += [f"{category}.{n}{fifth}" for n in range(int(low), int(high) + 1)]
    return refs + narrowed


def _unconditional_code_first(notes: Any, ancestors: set[str]) -> bool:
    """True when the code or a category above it has a "code first" note that always applies.

    A note's items are stored one per row ("any associated:", then each item), so an owner whose
    note says "any ..." or "if applicable" anywhere is conditional as a whole.
    """
    by_owner: dict[str, list[str]] = {}
    for note in notes:
        owner = note.owner.replace(".", "")
        if owner in ancestors:
            by_owner.setdefault(owner, []).append(note.text)
    return any(not any(_CONDITIONAL.search(text) for text in texts) for texts in by_owner.values())


class KbHcpcs(_KbPart):
    """HCPCS Level II codes (`kind="code"`) or modifiers (`kind="modifier"`)."""

    selector = "hcpcs"
    what = "HCPCS Level II"

    def __init__(self, kb: Any, kind: str) -> None:
        super().__init__(kb)
        self.kind = kind
        self._status: dict[tuple[str, str, str], CodeStatus] = {}

    def status(self, code: str, on: dt.date) -> CodeStatus:
        release, note = self.release(on)
        key = (release.id, note, code)
        found = self._status.get(key)
        if found is None:
            day = release.effective.start
            record = (
                self.kb.hcpcs.get(code, on=day)
                if self.kind == "code"
                else self.kb.hcpcs.modifier(code, on=day)
            )
            source = self.source(on)
            coverage = _quarter(release.effective)
            if record is None:
                found = CodeStatus(code, False, source, release=coverage)
            else:
                found = CodeStatus(code, True, source, record.valid_from, record.valid_to, coverage)
            self._status[key] = found
        return found


class KbCodeList(_KbPart):
    """A dated code list answered by an accessor's `get(code, on=...)`: places of service, CPT."""

    def __init__(self, kb: Any, accessor: str, selector: str, what: str) -> None:
        super().__init__(kb)
        self.accessor, self.selector, self.what = accessor, selector, what
        self._status: dict[tuple[str, str, str], CodeStatus] = {}

    def status(self, code: str, on: dt.date) -> CodeStatus:
        release, note = self.release(on)
        key = (release.id, note, code)
        found = self._status.get(key)
        if found is None:
            record = getattr(self.kb, self.accessor).get(code, on=release.effective.start)
            source = self.source(on)
            if record is None:
                found = CodeStatus(code, False, source, release=release.effective)
            else:
                added = getattr(record, "valid_from", None)
                found = CodeStatus(code, True, source, added, None, release.effective)
            self._status[key] = found
        return found


class KbMce(_KbPart):
    """The CMS Medicare Code Editor lists (`kb.mce`)."""

    selector = "mce"
    what = "Medicare Code Editor"

    def __init__(self, kb: Any) -> None:
        super().__init__(kb)
        self._lists: dict[tuple[str, str], tuple[Any, ...]] = {}

    def _lists_for(self, code: str, on: dt.date) -> tuple[Any, ...]:
        release, _ = self.release(on)
        key = (release.id, code)
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = self.kb.mce.lists_for(code, on=release.effective.start)
        return found

    def age_edit(self, code: str, on: dt.date) -> AgeEdit | None:
        for item in self._lists_for(code, on):
            if item.edit == 4 and item.age_low is not None and item.age_high is not None:
                title = re.sub(r"\s*\(age .*?\)", "", item.title)
                return AgeEdit(f"{item.key} {title}", item.age_low, item.age_high)
        return None

    def is_manifestation(self, code: str, on: dt.date) -> bool:
        return any(item.edit == 6 for item in self._lists_for(code, on))

    def is_unacceptable_principal(self, code: str, on: dt.date) -> bool:
        return any(item.edit == 9 for item in self._lists_for(code, on))


def _quarter(span: EffectiveRange) -> EffectiveRange:
    """A quarterly file covers its quarter, even when the manifest leaves its end open."""
    if span.end is not None:
        return span
    start = span.start
    month = 3 * ((start.month - 1) // 3) + 3
    last = (dt.date(start.year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
    return EffectiveRange(start, last)


def apply_kb(reference: Reference, kb: Any) -> None:
    """Fill the parts of `reference` that the knowledge base holds; note why the others are missing."""
    if kb.has("icd10cm/tabular"):
        reference.icd10cm = KbIcd10cm(kb)
    if kb.has("hcpcs"):
        reference.hcpcs = KbHcpcs(kb, "code")
        reference.hcpcs_modifiers = KbHcpcs(kb, "modifier")
    if "ncci" in kb.sections and kb.has("ncci"):
        reference.ncci = kb.ncci
    if kb.has("pos"):
        reference.pos = KbCodeList(kb, "pos", "pos", "Place of Service codes")
    if kb.has("cpt"):
        reference.cpt = KbCodeList(kb, "cpt", "cpt", "CPT (user-supplied)")
    if kb.has("mce"):
        reference.mce = KbMce(kb)
    if kb.has("icd10pcs"):
        reference.pcs = KbCodeList(kb, "pcs", "icd10pcs/tables|icd10pcs/codes", "ICD-10-PCS")
    if "mpfs" in kb.sections and kb.has("mpfs"):
        from medbill.rules.global_days import GlobalDaysTable

        try:
            reference.mpfs = GlobalDaysTable.from_mpfs_section(kb.conn)
        except sqlite3.DatabaseError as exc:  # a section layout this adapter does not know
            reference.notes["mpfs"] = f"the knowledge base's MPFS section could not be read ({exc})"
    for part, section in (("pos", "pos"), ("mce", "mce")):
        if not kb.has(section):
            reference.notes[part] = f"no {section} release is installed (run `medbill data sync` and build)"
