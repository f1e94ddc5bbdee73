"""From a term's code to a reportable code: follow subterms to the most specific code the note
supports, pick the side, add the 7th character, complete ICD-10-PCS codes when the table leaves
no choice.

ICD-10-CM: a billable code is kept. A header is followed down to the child whose own words (what
it adds to its parent's title) occur in the sentence, or else to its "unspecified" child; a header
with neither is not reported (no guessing). Codes in a category with 7th characters get one from
the encounter (initial unless the sentence says subsequent or sequela; B for an open fracture),
with the placeholder X filling empty positions.

ICD-10-PCS: a 7-character code is kept when valid; a 4-character root (section, body system,
operation, body part) becomes a full code when every table row for that body part allows one value
only for approach, device and qualifier, and otherwise stays at 4 characters (the note does not say
enough; the CodiEsp P track codes such cases the same way).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from medbill.codesets.icd10cm.lookup import Icd10cmCode, SeventhCharacter
from medbill.coding.cues import Cues
from medbill.coding.normalize import term_tokens
from medbill.coding.terminology import Terminology

_GENERIC = frozenset(("unspecified", "other", "specified", "type", "site", "part", "and", "not", "nos"))
_SIDES = frozenset(("right", "left", "bilateral"))


@cache
def index_defaults() -> dict[str, str]:
    """Header → the code the Alphabetic Index gives for the bare main term (`data/index_defaults.yaml`)."""
    text = resources.files("medbill.coding").joinpath("data/index_defaults.yaml").read_text(encoding="utf-8")
    return {str(k): str(v) for k, v in (yaml.safe_load(text) or {}).items()}


_SEXES = frozenset(("female", "male"))


@dataclass(frozen=True, slots=True)
class Resolved:
    code: str
    description: str
    notes: tuple[str, ...]
    billable: bool


class Resolver:
    def __init__(self, terminology: Terminology, cues: Cues | None = None) -> None:
        self.t = terminology
        self.cues = cues or Cues.default()
        self._pcs_cache: dict[str, str] = {}
        self.defaults = index_defaults()

    # ------------------------------------------------------------------ ICD-10-CM
    def _descend(self, code: str, context: frozenset[str], side: str, notes: list[str]) -> str | None:
        record = self.t.icd(code)
        depth = 0
        while record is not None and not record.billable and depth < 5:
            depth += 1
            default = self.defaults.get(record.code)
            children = [c for c in self.t.icd_children(record.code) if len(c.code.replace(".", "")) < 7]
            if not children:
                # only 7th-character extensions below: the 7th character is added by the caller
                return record.code if record.seventh_characters else None
            own_parent = set(term_tokens(record.description))
            best, best_score = None, 0.0
            fallback, fallback_rank = None, (99, 1, 1)
            for child in children:
                words = set(term_tokens(child.description)) - own_parent
                specific = words - _GENERIC - _SIDES
                score = float(len(specific & context))
                if side and side in words:
                    score += 1.0
                if score > best_score:
                    best, best_score = child, score
                if (words & _SIDES) and side and side not in words:
                    continue
                rank = (
                    len(specific),
                    0 if "unspecified" in words else 1,
                    0 if child.code.endswith("9") else 1,
                )
                if rank < fallback_rank:
                    fallback, fallback_rank = child, rank
            if best is not None and best_score >= 1:
                chosen: Icd10cmCode | None
                chosen, why = best, "words in the note"
            elif default is not None:
                chosen, why = self.t.icd(default), "Index default"
            elif fallback is not None and (fallback_rank[0] == 0 or fallback_rank[1] == 0):
                chosen, why = fallback, "unspecified"
            elif _SEXES & {w for c in children for w in term_tokens(c.description)} and not (
                _SEXES & context
            ):
                # split by sex (breast C50.9 → C50.91 female / C50.92 male) and the note does not
                # say: keep the category; it is not billable, but a family or personal history
                # of it still is (Z80.3)
                notes.append(f"{record.code}: the patient's sex is not documented")
                break
            else:
                return None
            if chosen is None:
                return None
            notes.append(f"{record.code} → {chosen.code} ({why})")
            record = chosen
        return record.code if record is not None else None

    def icd(
        self,
        code: str,
        tokens: Sequence[str],
        near: int,
        encounter: str = "initial",
        extra: Sequence[str] = (),
    ) -> Resolved | None:
        """The reportable ICD-10-CM code for `code` read in a sentence (`tokens`, mention at `near`);
        `extra` adds document-level context words (the patient's sex: `female` / `male`)."""
        notes: list[str] = []
        key = code.upper()
        record = self.t.icd(key)
        if record is None:
            bare = key.replace(".", "")
            if len(bare) == 7 and self.t.icd(bare[:6]) is not None:
                key = bare[:6]  # a 7th character this release spells differently
            else:
                while len(bare) > 3 and self.t.icd(bare) is None:
                    bare = bare[:-1]
                if self.t.icd(bare) is None:
                    return None
                key = bare
                notes.append(f"{code.upper()} not in this release; read as {self.t.icd(bare).code}")  # type: ignore[union-attr]
            record = self.t.icd(key)
            if record is None:
                return None
        side = self.cues.side(tokens, near)
        # numbers choose a child ("stage 3a") only when they stand next to the mention
        context = frozenset(
            tok for i, tok in enumerate(tokens) if not tok[:1].isdigit() or abs(i - near) <= 3
        ) | frozenset(extra)
        resolved = self._descend(record.code, context, side, notes)
        if resolved is None:
            return None
        record = self.t.icd(resolved)
        if record is None:
            return None
        final = record.code
        if record.seventh_characters and len(final.replace(".", "")) < 7:
            final, note = self._seventh(final, record.seventh_characters, tokens, encounter)
            notes.append(note)
            checked = self.t.icd(final)
            if checked is None or not checked.billable:
                return None
            record = checked
        return Resolved(final, record.description, tuple(notes), record.billable)

    def _seventh(
        self, code: str, options: Sequence[SeventhCharacter], tokens: Sequence[str], encounter: str
    ) -> tuple[str, str]:
        chars = {o.char: o.meaning for o in options}
        wanted = {"initial": "A", "subsequent": "D", "sequela": "S"}[encounter]
        if encounter == "initial" and self.cues.open_wound(tokens) and "B" in chars:
            wanted = "B"
        if wanted not in chars:
            wanted = "A" if "A" in chars else next(iter(chars))
        bare = code.replace(".", "")
        bare = bare.ljust(6, "X")
        full = f"{bare[:3]}.{bare[3:]}{wanted}"
        return full, f"7th character {wanted} ({chars[wanted]}), placeholder X where needed"

    # ------------------------------------------------------------------ ICD-10-PCS
    def pcs(self, code: str) -> Resolved | None:
        key = code.upper()
        if len(key) == 7:
            if self.t.pcs_valid(key):
                return Resolved(key, self.t.pcs_description(key), (), True)
            key = key[:4]
        if len(key) != 4:
            return None
        full = self._pcs_cache.get(key)
        if full is None:
            full = self._complete(key)
            self._pcs_cache[key] = full
        if len(full) == 7:
            return Resolved(
                full, self.t.pcs_description(full), ("one value possible for characters 5–7",), True
            )
        description = self.t.pcs_description(key)
        if not description:
            return None
        return Resolved(key, description, ("characters 5–7 not documented: table root only",), False)

    def _complete(self, root: str) -> str:
        values: dict[int, set[str]] = {5: set(), 6: set(), 7: set()}
        found = False
        for row in self.t.pcs_table_rows(root[:3]):
            if root[3] not in row.get(4, {}):
                continue
            found = True
            for pos in (5, 6, 7):
                values[pos] |= set(row.get(pos, {}))
        if found and all(len(v) == 1 for v in values.values()):
            full = root + "".join(next(iter(values[p])) for p in (5, 6, 7))
            if self.t.pcs_valid(full):
                return full
        return root

    # ------------------------------------------------------------------ HCPCS
    def hcpcs(self, code: str) -> Resolved | None:
        description = self.t.hcpcs_description(code)
        return Resolved(code.upper(), description, (), True) if description else None
