"""Injuries (ICD-10-CM chapter 19): the kind of injury and the site, resolved in the Tabular.

The Alphabetic Index entry a coder follows ("Fracture, radius, lower end S52.50-") is not in the
knowledge base, so an injury is read as two parts of a sentence — a kind of injury (fracture,
laceration, contusion, sprain, strain, dislocation, abrasion, puncture wound) and the nearest
anatomical site ("distal radius", "femoral neck", "left hand") — with their words and Tabular
wordings as data (`data/injuries.yaml`). The code is found by walking the Tabular titles of the
site's categories:

1. the highest code whose title has every word of the injury and of the site ("Fracture of lower
   end of radius" S52.5), the fewest words the note does not say breaking ties;
2. down to the child whose added words the note says ("nondisplaced", "torus"), else the
   "unspecified" child, else the child of the coder's defaults (a fracture not documented as
   displaced or nondisplaced is displaced, Guidelines I.C.19.c.1); side from the side word nearest
   the site (right / left, else the "unspecified side" child; bilateral gives both sides);
3. the 7th character from the encounter (initial for active treatment, the default when the note
   says nothing; subsequent with routine, delayed, nonunion or malunion healing; sequela), closed
   unless the note says open (Guidelines I.C.19.c.1), with the placeholder X in empty positions.

The mention's evidence spans the injury word and the site. Weak candidates of the same words are
dropped: "Fracture NOS" T14.8 and learned chapter-19 codes of another site, and an external-cause
code read from the bare injury word ("fracture" → X58: the circumstances are not documented).

>>> kinds, sites = load()
>>> kinds["fracture"].tabular, sites[0].categories
(('fracture',), ('S00', 'S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'S09'))
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

import yaml

from medbill.codesets.icd10cm.lookup import SeventhCharacter
from medbill.coding.cues import Cues
from medbill.coding.document import Document, SentenceView
from medbill.coding.normalize import STOP_WORDS, stem, words
from medbill.coding.result import Candidate, Mention
from medbill.coding.terminology import Terminology
from medbill.coding.terms import SIDE_TOKENS

KIND = "injury"
WEIGHT = 0.6  # above a Tabular title (0.55): the injury and its site together name the code
WINDOW = 6  # tokens between the injury word and the site
CONTEXT = 8  # tokens each side read for the words that choose among children
_KEEP = STOP_WORDS - {"with"}  # "with foreign body" vs "without foreign body"
_FREE = frozenset(("unspecified", "part", "site", "unspecified side", "side"))
_OTHER_COST = 5  # an "Other ..." child is reported only when the note says so
_HEALING = {
    "delayed": ("delayed healing", "delayed union"),
    "nonunion": ("nonunion", "non union"),
    "malunion": ("malunion", "mal union"),
}


def tokens(text: str) -> tuple[str, ...]:
    """Title/note words compared by the walk (stop words dropped, `with` kept).

    >>> tokens("Laceration with foreign body of left hand")
    ('laceration', 'with', 'foreign', 'body', 'left', 'hand')
    """
    return tuple(stem(w) for w, _, _ in words(text) if w not in _KEEP)


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    words: tuple[tuple[str, ...], ...]
    tabular: tuple[str, ...]
    foreign_body: tuple[str, ...]
    defaults: frozenset[str]


@dataclass(frozen=True, slots=True)
class Site:
    words: tuple[tuple[str, ...], ...]
    tabular: tuple[str, ...]
    by_kind: dict[str, tuple[str, ...]]
    also: frozenset[str]
    categories: tuple[str, ...]
    within: tuple[tuple[str, ...], ...] = ()  # sites this one is part of ("metatarsal" of the "foot")

    def wording(self, kind: str) -> tuple[str, ...]:
        return self.by_kind.get(kind, self.tabular)


def _categories(spec: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in str(spec).replace(" ", "").split(","):
        first, _, last = part.partition("-")
        last = last or first
        letter = first[0]
        out.extend(f"{letter}{n:02d}" for n in range(int(first[1:]), int(last[1:]) + 1))
    return tuple(out)


@cache
def load() -> tuple[dict[str, Kind], tuple[Site, ...]]:
    """Kinds of injury and sites (`data/injuries.yaml`)."""
    text = resources.files("medbill.coding").joinpath("data/injuries.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    kinds = {
        name: Kind(
            name,
            tuple(tokens(w) for w in spec["words"]),
            tokens(spec["tabular"]),
            tokens(spec.get("foreign_body", spec["tabular"])),
            frozenset(t for w in spec.get("defaults", ()) for t in tokens(w)),
        )
        for name, spec in data["kinds"].items()
    }
    sites = tuple(
        Site(
            tuple(tokens(w) for w in spec["words"]),
            tokens(spec["tabular"]),
            {str(k): tokens(v) for k, v in (spec.get("by_kind") or {}).items()},
            frozenset(t for w in spec.get("also", ()) for t in tokens(w)),
            _categories(spec["categories"]),
            tuple(tokens(w) for w in spec.get("within", ())),
        )
        for spec in data["sites"]
    )
    return kinds, sites


def _find(phrases: Sequence[tuple[str, ...]], norms: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) token index of each phrase occurrence, longest first, not overlapping."""
    found: list[tuple[int, int]] = []
    for phrase in sorted(phrases, key=len, reverse=True):
        n = len(phrase)
        for i in range(len(norms) - n + 1):
            if (
                n
                and tuple(norms[i : i + n]) == phrase
                and not any(i <= b and a <= i + n - 1 for a, b in found)
            ):
                found.append((i, i + n - 1))
    return found


@dataclass(frozen=True, slots=True)
class Found:
    """One injury read in a sentence: kind, site, token span and side."""

    kind: Kind
    site: Site
    first: int
    last: int
    side: str
    site_at: int
    word: tuple[int, int] = (0, 0)  # the injury word's tokens: its assertion is the mention's


class Injuries:
    """Injury mentions of a note, resolved to chapter-19 codes by a Tabular walk."""

    def __init__(self, terminology: Terminology, cues: Cues | None = None) -> None:
        self.t = terminology
        self.cues = cues or Cues.default()
        self.kinds, self.sites = load()
        self._titles: dict[str, list[tuple[str, Counter[str]]]] = {}
        self._injury_words = frozenset(w for k in self.kinds.values() for w in k.words)

    # ------------------------------------------------------------------ the Tabular walk
    def _category(self, category: str) -> list[tuple[str, Counter[str]]]:
        """Codes below a category (without 7th-character extensions) and their title words."""
        cached = self._titles.get(category)
        if cached is not None:
            return cached
        out: list[tuple[str, Counter[str]]] = []
        stack = [category]
        while stack:
            record = self.t.icd(stack.pop())
            if record is None:
                continue
            out.append((record.code, Counter(tokens(record.description))))
            stack.extend(c for c in record.children if len(c.replace(".", "")) < 7)
        self._titles[category] = out
        return out

    @staticmethod
    def _cost(extra: set[str], context: frozenset[str]) -> int:
        cost = 0
        for word in extra - context - _FREE - SIDE_TOKENS:
            cost += _OTHER_COST if word == "other" else 1
        return cost

    def _start(
        self, required: Counter[str], categories: Sequence[str], context: frozenset[str]
    ) -> str | None:
        best: tuple[int, int, str] | None = None
        for category in categories:
            for code, title in self._category(category):
                if required - title:
                    continue
                key = (self._cost(set(title - required), context), len(code), code)
                if best is None or key < best:
                    best = key
        return best[2] if best else None

    def _descend(
        self, code: str, required: Counter[str], context: frozenset[str], defaults: frozenset[str], side: str
    ) -> tuple[str, list[str]] | None:
        notes: list[str] = []
        record = self.t.icd(code)
        while record is not None:
            children = [c for c in self.t.icd_children(record.code) if len(c.code.replace(".", "")) < 7]
            if not children:
                return record.code, notes
            parent = Counter(tokens(record.description))
            options = []
            for child in children:
                title = Counter(tokens(child.description))
                if required - title:
                    continue
                added = title - parent
                sides = set(added) & SIDE_TOKENS
                if side and sides and side not in sides:
                    continue
                if (
                    side
                    and not sides
                    and "unspecified" in added
                    and any(side in tokens(c.description) for c in children)
                ):
                    continue  # "unspecified side" when the note names the side
                if not side and sides:
                    continue
                content = set(added) - SIDE_TOKENS - _FREE
                said = len(content & context)
                unsaid = self._cost(content - defaults, context)
                assumed = len(content & defaults - context)
                key = (-said, unsaid, assumed, "unspecified" not in added, child.code)
                options.append((key, child))
            if not options:
                return None
            key, chosen = min(options, key=lambda o: o[0])
            gained = set(Counter(tokens(chosen.description)) - parent)
            if key[0]:
                why = "words in the note"
            elif gained & SIDE_TOKENS and not gained - SIDE_TOKENS - _FREE:
                why = "side in the note"
            elif not key[3]:
                why = "side not documented" if gained == {"unspecified"} and not side else "unspecified"
            else:
                why = (
                    "coder's default: " + ", ".join(sorted(gained - SIDE_TOKENS))
                    if gained - SIDE_TOKENS
                    else "default"
                )
            notes.append(f"{record.code} → {chosen.code} ({why})")
            record = chosen
        return None

    def _seventh(
        self, code: str, options: Sequence[SeventhCharacter], norms: Sequence[str]
    ) -> tuple[str, str]:
        encounter = self.cues.encounter(norms)
        text = " ".join(norms)
        healing = next((h for h, ws in _HEALING.items() if any(w in text for w in ws)), "routine")
        if healing != "routine" and encounter == "initial":
            encounter = "subsequent"
        # "open fracture" / "compound fracture" only: "open reduction" of a fracture is a procedure
        is_open = self.cues.open_wound(norms)
        type_three = any(w in norms for w in ("iiia", "iiib", "iiic", "3a", "3b", "3c"))
        chosen = [o for o in options if encounter in o.meaning or (encounter == "sequela" and o.char == "S")]
        if any("fracture" in o.meaning for o in chosen):
            if is_open:
                chosen = [o for o in chosen if "open" in o.meaning] or chosen
                three = [o for o in chosen if "IIIA" in o.meaning]
                chosen = (three if type_three else [o for o in chosen if o not in three]) or chosen
            else:
                chosen = [o for o in chosen if "open" not in o.meaning] or chosen
            if encounter == "subsequent":
                chosen = [o for o in chosen if healing in o.meaning] or chosen
        pick = chosen[0] if chosen else next((o for o in options if o.char == "A"), options[0])
        bare = code.replace(".", "").ljust(6, "X")
        why = f"7th character {pick.char} ({pick.meaning})"
        if encounter == "initial" and "initial" not in norms:
            why += "; no encounter documented: initial, the patient is seen for active treatment"
        return f"{bare[:3]}.{bare[3:]}{pick.char}", why + ", placeholder X where needed"

    def resolve(self, found: Found, norms: Sequence[str]) -> tuple[str, str, str] | None:
        """(code, description, rationale) of an injury read in a sentence, or None."""
        kind, site = found.kind, found.site
        lo, hi = max(0, found.first - CONTEXT), found.last + CONTEXT + 1
        window = [n for n in norms[lo:hi] if n not in SIDE_TOKENS]
        injury = kind.tabular
        if "foreign" in window and "without" not in window:
            injury = kind.foreign_body
        required = Counter(injury) + Counter(site.wording(kind.name))
        context = frozenset(window) | frozenset(required) | site.also
        start = self._start(required, site.categories, context | kind.defaults)
        if start is None:
            return None
        walked = self._descend(start, required, context, kind.defaults, found.side)
        if walked is None:
            return None
        code, notes = walked
        record = self.t.icd(code)
        if record is None:
            return None
        if record.seventh_characters:
            code, note = self._seventh(code, record.seventh_characters, norms)
            notes.append(note)
            record = self.t.icd(code)
        if record is None or not record.billable:
            return None
        side = found.side or "side not documented"
        head = f"injury: {kind.name} of {' '.join(site.wording(kind.name))} ({side}); Tabular {start}"
        return record.code, record.description, "; ".join([head, *notes])

    # ------------------------------------------------------------------ reading a sentence
    def read(self, norms: Sequence[str]) -> list[Found]:
        """Injuries of a sentence: each site paired with the nearest injury word."""
        keep = [i for i, n in enumerate(norms) if n not in SIDE_TOKENS]
        bare = [norms[i] for i in keep]
        hits = [(kind, keep[a], keep[b]) for kind in self.kinds.values() for a, b in _find(kind.words, bare)]
        if not hits:
            return []
        taken: list[tuple[int, int]] = []
        out = []
        for site in self.sites:
            for a, b in _find(site.words, bare):
                first, last = keep[a], keep[b]
                if any(first <= y and x <= last for x, y in taken):
                    continue  # "radius" inside "distal radius"
                near = [
                    (min(abs(k0 - last), abs(first - k1)), kind, k0, k1)
                    for kind, k0, k1 in hits
                    if min(abs(k0 - last), abs(first - k1)) <= WINDOW
                ]
                if not near:
                    continue
                taken.append((first, last))
                _, kind, k0, k1 = min(near, key=lambda n: n[0])
                side = self.cues.side(norms, first)
                if side and not any(
                    abs(i - first) <= 3 or first <= i <= last for i in self._sides(norms, side)
                ):
                    side = ""  # a side word far from the site names another part
                out.append(Found(kind, site, min(first, k0), max(last, k1), side, first, (k0, k1)))
        # "fracture of the 5th metatarsal of the left foot": the part, not also the whole
        return [
            f
            for f in out
            if not any(
                g is not f and g.word == f.word and any(w in f.site.words for w in g.site.within) for g in out
            )
        ]

    def _sides(self, norms: Sequence[str], side: str) -> list[int]:
        phrases = self.cues.groups.get("laterality", {}).get(side, [])
        return [i for i, n in enumerate(norms) if (n,) in phrases]

    def mentions(self, doc: Document, sentence: SentenceView) -> list[Mention]:
        norms = sentence.norms
        out = []
        for found in self.read(norms):
            sides = ("right", "left") if found.side == "bilateral" else (found.side,)
            candidates = []
            for side in sides:
                resolved = self.resolve(
                    Found(found.kind, found.site, found.first, found.last, side, found.site_at, found.word),
                    norms,
                )
                if resolved is not None:
                    code, _, why = resolved
                    candidates.append(
                        Candidate(code, "icd10cm", KIND, " ".join(found.site.tabular), why, WEIGHT)
                    )
            if not candidates:
                continue
            first, last = found.first, found.last
            start, end = sentence.tokens[first].start, sentence.tokens[last].end
            # "no fracture" negates the injury, whatever the site's own context
            word_start, word_end = sentence.tokens[found.word[0]].start, sentence.tokens[found.word[1]].end
            out.append(sentence.mention(start, end, "kb", candidates, status_span=(word_start, word_end)))
        return out

    # ------------------------------------------------------------------ in the pipeline
    def _bare_injury_word(self, mention: Mention) -> bool:
        return tokens(mention.text) in self._injury_words

    def apply(self, doc: Document, mentions: list[Mention]) -> list[Mention]:
        """The note's mentions with injury mentions added and the weak candidates they replace
        dropped: T14.x ("Fracture NOS") and chapter-19 codes of another site on the same words,
        and external causes read from the bare injury word. An injury a Tabular title already
        names with an S code ("Sprain of right ankle" S93.401A) is left to that title."""

        def overlap(a: Mention, b: Mention) -> bool:
            return a.sentence == b.sentence and a.start < b.end and b.start < a.end

        def title_codes(m: Mention) -> set[str]:
            if m.source != "kb":
                return set()
            return {
                c.code for c in m.candidates if c.kind in ("description", "inclusion") and c.code[:1] == "S"
            }

        injuries = [m for s in doc.sentences if s.norms for m in self.mentions(doc, s)]
        kept: list[Mention] = []
        # per injury read: its span and the chapter-19 codes that may stand on its words
        reads: list[tuple[Mention, set[str]]] = []
        for injury in injuries:
            titled = set().union(
                *(
                    title_codes(m)
                    for m in mentions
                    if m.sentence == injury.sentence and m.start <= injury.start and injury.end <= m.end
                )
            )
            if not titled:
                kept.append(injury)
            reads.append((injury, titled or {c.code for c in injury.candidates}))
        out: list[Mention] = []
        for mention in mentions:
            allowed: set[str] = set()
            covered = False
            for injury, codes in reads:
                if overlap(mention, injury):
                    covered = True
                    allowed |= codes
            own = {c.code for c in mention.candidates}
            bare = self._bare_injury_word(mention)
            candidates = tuple(
                c
                for c in mention.candidates
                if not (bare and c.kind == "ecause")
                and not (
                    covered
                    and not own & allowed
                    and c.system == "icd10cm"
                    and c.code[:1] == "S"
                    and c.code not in allowed
                )
                and not (covered and c.code.startswith("T14"))
            )
            if not candidates:
                continue
            if len(candidates) != len(mention.candidates):
                mention = replace(mention, candidates=candidates)
            out.append(mention)
        out.extend(kept)
        out.sort(key=lambda m: m.sentence)
        return out
