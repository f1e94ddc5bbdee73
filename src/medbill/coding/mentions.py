"""Mention detection: dictionary matches in each sentence, read in context.

For every sentence, the compiled dictionaries (knowledge base, and the learned lexicon when a
model is loaded) are matched in one pass each. A match becomes a mention with its assertion status
(ConText + section); its entries are filtered by what the sentence says — a Neoplasm-table site
needs a neoplasm word and takes the column that word implies (metastasis → Malignant Secondary),
a Drug-table substance needs a poisoning/adverse-effect word, sided terms keep the side the note
names — and each remaining entry is resolved to a reportable code (`resolve.Resolver`).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from medbill.coding.cues import Cues
from medbill.coding.dictionary import Entry, Hit, Matcher
from medbill.coding.document import Document, SentenceView
from medbill.coding.normalize import fold, term_tokens
from medbill.coding.resolve import Resolved, Resolver
from medbill.coding.result import Candidate, Mention
from medbill.coding.terms import SIDE_TOKENS

_FEMALE = re.compile(r"\b(?:she|her|woman|women|female|girl|mrs|lady|pregnan\w*|mother of)\b")
_MALE = re.compile(r"\b(?:he|his|him|man|men|male|boy|mr)\b")
_LEARNED_KIND = "learned"
CONTEXT_WINDOW = 8  # tokens each side of a mention read to choose among a header's children


def patient_sex(text: str) -> str:
    """`female`, `male` or '' from the pronouns and nouns of the note.

    >>> patient_sex("She presented with pain. Her mother ..."), patient_sex("A 40-year-old man")
    ('female', 'male')
    """
    folded = fold(text)
    female = len(_FEMALE.findall(folded))
    male = len(_MALE.findall(folded))
    if female > male:
        return "female"
    if male > female:
        return "male"
    return ""


@dataclass(frozen=True, slots=True)
class Source:
    """A compiled dictionary and its name (`kb` or `learned`)."""

    name: str
    matcher: Matcher


class MentionFinder:
    def __init__(self, resolver: Resolver, cues: Cues | None = None) -> None:
        self.resolver = resolver
        self.cues = cues or Cues.default()

    # ------------------------------------------------------------------ entry filters
    def _required(
        self, entries: Sequence[Entry], tokens: Sequence[str], hit: Hit
    ) -> tuple[list[Entry], tuple[int, int]]:
        """Entries whose context requirement the sentence meets; the span grown to take in the cue."""
        plain = [e for e in entries if not e.requires]
        needing = [e for e in entries if e.requires]
        if not needing:
            return plain, (hit.first, hit.last)
        first, last = hit.first, hit.last
        kept = list(plain)
        for group in {e.requires.split("_")[0] for e in needing}:
            found = self.cues.find(group, tokens)
            if not found:
                continue
            near = [f for f in found if f[1] <= hit.last + 4 and f[2] >= hit.first - 4]
            chosen = (near or found)[0]
            column = chosen[0]
            matching = [e for e in needing if e.requires.split("_")[0] == group and e.column == column]
            if matching:
                kept.extend(matching)
                if near:
                    first, last = min(first, chosen[1]), max(last, chosen[2])
        return kept, (first, last)

    def _sided(self, entries: list[Entry], side: str) -> list[Entry]:
        if not any(e.laterality for e in entries):
            return entries
        if side:
            same = [e for e in entries if e.laterality == side]
            if same:
                return same + [e for e in entries if not e.laterality and e.system != "icd10cm"]
        neutral = [e for e in entries if not e.laterality]
        return neutral or entries

    # ------------------------------------------------------------------ resolution
    def _resolve(
        self, entry: Entry, sentence: SentenceView, near: int, extra: Sequence[str]
    ) -> Resolved | None:
        if entry.system == "icd10cm":
            norms = sentence.norms
            window = norms[max(0, near - CONTEXT_WINDOW) : near + CONTEXT_WINDOW]
            local = min(near, CONTEXT_WINDOW)
            return self.resolver.icd(entry.code, window, local, self.cues.encounter(norms), extra)
        if entry.system == "icd10pcs":
            return self.resolver.pcs(entry.code)
        if entry.system == "hcpcs":
            return self.resolver.hcpcs(entry.code)
        return None

    @staticmethod
    def _rationale(entry: Entry, resolved: Resolved) -> str:
        if entry.kind == _LEARNED_KIND:
            head = f"learned term '{entry.term}' (coded {entry.code.lower()} in {entry.count} of {max(entry.seen, entry.count)} train uses)"
        elif entry.kind in ("description", "inclusion"):
            head = f"Tabular {entry.kind} '{entry.term}' ({entry.code})"
        elif entry.kind == "index":
            head = f"Alphabetic Index: '{entry.term}' ({entry.code})"
        elif entry.kind == "neoplasm":
            head = f"Neoplasm table: {entry.term}"
        elif entry.kind == "drug":
            head = f"Drug table: {entry.term}"
        elif entry.kind == "ecause":
            head = f"External cause index: {entry.term}"
        elif entry.kind == "pcs_index":
            head = f"ICD-10-PCS Index: {entry.term}"
        else:
            head = f"HCPCS: {entry.term}"
        return "; ".join([head, *resolved.notes])

    # ------------------------------------------------------------------ the pass
    def find(self, doc: Document, sources: Sequence[Source]) -> list[Mention]:
        extra = [s for s in (patient_sex(doc.text),) if s]
        out: list[Mention] = []
        for sentence in doc.sentences:
            norms = sentence.norms
            if not norms:
                continue
            # side words are matched as context, not as part of terms ("fracture of right patella")
            keep = [i for i, n in enumerate(norms) if n not in SIDE_TOKENS]
            bare = [norms[i] for i in keep]
            for source in sources:
                hits = [
                    Hit(keep[h.first], keep[h.last], h.pattern, h.entries) for h in source.matcher.find(bare)
                ]
                spans = [(h.first, h.last) for h in hits]
                cache: dict[tuple[str, int], Resolved | None] = {}
                pending: list[tuple[int, int, tuple[Candidate, ...]]] = []
                for hit in hits:
                    entries, (first, last) = self._required(hit.entries, norms, hit)
                    if not entries:
                        continue
                    side = self.cues.side(norms, hit.first)
                    entries = self._sided(entries, side)
                    candidates: dict[str, Candidate] = {}
                    for entry in entries:
                        key = (entry.code, hit.first)
                        if key not in cache:
                            cache[key] = self._resolve(entry, sentence, hit.first, extra)
                        resolved = cache[key]
                        if resolved is None:
                            continue
                        previous = candidates.get(resolved.code)
                        if previous is not None and previous.weight >= entry.weight:
                            continue
                        candidates[resolved.code] = Candidate(
                            resolved.code,
                            entry.system,
                            entry.kind,
                            entry.term,
                            self._rationale(entry, resolved),
                            entry.weight,
                            entry.count,
                            entry.seen,
                        )
                    if not candidates:
                        continue
                    pending.append((first, last, _one_per_parent(candidates.values(), hit.pattern)))
                # a mention inside a longer one (grown by its context cue: "breast cancer" holds
                # "cancer") is marked contained
                grown = spans + [(f, la) for f, la, _ in pending]
                for first, last, found in pending:
                    start = sentence.tokens[first].start
                    end = sentence.tokens[last].end
                    contained = any(f <= first and last <= la and (f, la) != (first, last) for f, la in grown)
                    out.append(sentence.mention(start, end, source.name, found, contained=contained))
            out.extend(bmi_mentions(doc, sentence))
        return out


_PLAIN_WORDS = frozenset(("unspecified", "uncomplicated", "other", "without", "not", "nos"))


def _one_per_parent(candidates: Iterable[Candidate], words: Sequence[str]) -> tuple[Candidate, ...]:
    """One ICD-10-CM Tabular candidate per parent code: "nicotine dependence" names the titles of
    F17.200 (unspecified, uncomplicated), F17.201 (in remission), F17.208, F17.209; the sibling
    whose title adds least that the mention does not say is kept (Index default: unspecified,
    uncomplicated). Learned, table and other-system candidates pass through.

    >>> c = [Candidate(code, "icd10cm", "description", t, "") for code, t in (
    ...     ("F17.201", "Nicotine dependence, unspecified, in remission"),
    ...     ("F17.200", "Nicotine dependence, unspecified, uncomplicated"))]
    >>> [x.code for x in _one_per_parent(c, ("nicotine", "dependence"))]
    ['F17.200']
    """
    said = set(words)
    groups: dict[str, list[Candidate]] = {}
    out: list[Candidate] = []
    for cand in candidates:
        if cand.system == "icd10cm" and cand.kind in ("description", "inclusion") and "." in cand.code:
            groups.setdefault(cand.code[:-1], []).append(cand)
        else:
            out.append(cand)
    for siblings in groups.values():
        if len(siblings) == 1:
            out.append(siblings[0])
            continue

        def extra(c: Candidate) -> tuple[int, bool, str]:
            added = set(term_tokens(c.term)) - said - _PLAIN_WORDS
            return (len(added), not c.code.endswith(("0", "9")), c.code)

        out.append(min(siblings, key=extra))
    return tuple(out)


_BMI = re.compile(
    r"\b(?:BMI|body mass index)\b\W{0,3}(?:(?:of|is|was|=)\s*)?(\d{2}(?:\.\d+)?)", re.IGNORECASE
)
# Z68 (adult body mass index) by the value's lower bound: 20-29 and 30-39 each have their own code
_BMI_BANDS = ((70, "Z68.45"), (60, "Z68.44"), (50, "Z68.43"), (45, "Z68.42"), (40, "Z68.41"))


def bmi_code(value: float) -> str:
    """The adult BMI code (Z68.1-Z68.45) of a value.

    >>> [bmi_code(v) for v in (18.5, 24.9, 32.4, 44.0, 71)]
    ['Z68.1', 'Z68.24', 'Z68.32', 'Z68.41', 'Z68.45']
    """
    if value < 20:
        return "Z68.1"
    for bound, code in _BMI_BANDS:
        if value >= bound:
            return code
    return f"Z68.{int(value)}"


def bmi_mentions(doc: Document, sentence: SentenceView) -> list[Mention]:
    """A documented adult body mass index ("BMI 32.4", "body mass index of 27") as its Z68 code;
    conventions report it only with an associated condition (Guidelines I.B.14)."""
    out = []
    for match in _BMI.finditer(sentence.text):
        value = float(match.group(1))
        if not 10 <= value < 100:
            continue
        start, end = sentence.start + match.start(), sentence.start + match.end()
        code = bmi_code(value)
        candidate = Candidate(
            code, "icd10cm", "bmi", match.group(0), f"body mass index {value:g} → {code}", 0.5
        )
        out.append(sentence.mention(start, end, "kb", (candidate,)))
    return out
