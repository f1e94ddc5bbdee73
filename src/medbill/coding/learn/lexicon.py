"""A lexicon learned from a coded corpus: which English phrases the annotators coded as what.

For every CodiEsp-X reference (a code and its Spanish evidence), the aligned English lines are
searched for the phrase that best explains it: the n-gram (up to 8 tokens, stop words and side
words dropped as the matcher drops them) that maximises character-trigram similarity to the
Spanish evidence (medical Spanish and English share many cognates: "orquiepididimitis" /
"orchiepididymitis") plus overlap with the code's Tabular title and inclusion terms, minus a
length mismatch penalty. Each (phrase, code) pair is counted; `seen` counts the training sentences
that contain the phrase at all, so `count / seen` estimates how often the phrase gets that code.
"""

import collections
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from medbill.coding.codiesp import Reference, is_diagnosis_code, load_references
from medbill.coding.dictionary import Dictionary, Entry, Matcher
from medbill.coding.learn.align import align, english_lines, spanish_sentences
from medbill.coding.normalize import Token, fold, term_tokens, tokenize
from medbill.coding.terms import SIDE_TOKENS

MAX_TOKENS = 8
MIN_SCORE = 0.45


@dataclass(frozen=True, slots=True)
class Phrase:
    """The English phrase found for one reference."""

    document: str
    code: str
    tokens: tuple[str, ...]
    text: str
    score: float


def _trigrams(text: str) -> set[str]:
    padded = f" {' '.join(text.split())} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def line_tokens(text: str, start: int, end: int, abbreviations: Mapping[str, str]) -> list[Token]:
    """Tokens of `text[start:end]` as the matcher sees them (side words dropped), note offsets."""
    return [
        Token(t.norm, t.start + start, t.end + start)
        for t in tokenize(text[start:end], abbreviations)
        if t.norm not in SIDE_TOKENS
    ]


def best_phrase(
    en: str, tokens: Sequence[Token], evidence: str, description_tokens: set[str]
) -> tuple[float, tuple[str, ...], str]:
    """The n-gram of `tokens` that best explains the Spanish `evidence`."""
    evidence_trigrams = _trigrams(fold(evidence))
    evidence_len = len(term_tokens(evidence))
    best: tuple[float, tuple[str, ...], str] = (0.0, (), "")
    for a in range(len(tokens)):
        for b in range(a + 1, min(len(tokens), a + MAX_TOKENS) + 1):
            words = tuple(t.norm for t in tokens[a:b])
            surface = en[tokens[a].start : tokens[b - 1].end]
            similarity = _dice(evidence_trigrams, _trigrams(fold(surface)))
            overlap = len(set(words) & description_tokens) / len(words)
            score = similarity + 0.8 * overlap - 0.15 * abs(len(words) - evidence_len)
            if score > best[0]:
                best = (score, words, surface)
    return best


def extract_phrases(
    split_dir: Path,
    describe: Callable[[str], Sequence[str]],
    abbreviations: Mapping[str, str],
    documents: Iterable[str] | None = None,
) -> list[Phrase]:
    """The English phrase of every CodiEsp-X reference of a split (optionally of some documents)."""
    wanted = set(documents) if documents is not None else None
    by_doc: dict[str, list[Reference]] = collections.defaultdict(list)
    for ref in load_references(split_dir):
        if wanted is None or ref.document in wanted:
            by_doc[ref.document].append(ref)
    described: dict[str, set[str]] = {}
    out: list[Phrase] = []
    for document, refs in sorted(by_doc.items()):
        es_path = split_dir / "text_files" / f"{document}.txt"
        en_path = split_dir / "text_files_en" / f"{document}.txt"
        if not es_path.is_file() or not en_path.is_file():
            continue
        es = es_path.read_text(encoding="utf-8")
        en = en_path.read_text(encoding="utf-8")
        sentences = spanish_sentences(es)
        lines = english_lines(en)
        mapping = align(sentences, lines)
        tokens_of = {j: line_tokens(en, s, e, abbreviations) for j, (s, e) in enumerate(lines)}
        for ref in refs:
            if not ref.spans:
                continue
            offset = ref.spans[0][0]
            index = next((i for i, (s, e) in enumerate(sentences) if s <= offset <= e), None)
            if index is None or not mapping.get(index):
                continue
            near = set(mapping[index])
            near |= {min(near) - 1, max(near) + 1}
            if ref.code not in described:
                described[ref.code] = {t for text in describe(ref.code) for t in term_tokens(text)}
            best: tuple[float, tuple[str, ...], str] = (0.0, (), "")
            for j in sorted(k for k in near if 0 <= k < len(lines)):
                found = best_phrase(en, tokens_of[j], ref.text, described[ref.code])
                if found[0] > best[0]:
                    best = found
            if best[1] and best[0] > MIN_SCORE:
                out.append(Phrase(document, ref.code, best[1], best[2], best[0]))
    return out


def count_occurrences(
    matcher: Matcher, sentences: Iterable[Sequence[str]]
) -> collections.Counter[tuple[str, ...]]:
    """In how many sentences each pattern of `matcher` occurs."""
    seen: collections.Counter[tuple[str, ...]] = collections.Counter()
    for tokens in sentences:
        seen.update({hit.pattern for hit in matcher.find(list(tokens))})
    return seen


def build_lexicon(phrases: Iterable[Phrase], sentences: Iterable[Sequence[str]]) -> Matcher:
    """A matcher of the learned phrases; each entry carries `count` (references) and `seen` (sentences)."""
    counts: dict[tuple[str, ...], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    surfaces: dict[tuple[str, ...], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for phrase in phrases:
        counts[phrase.tokens][phrase.code] += 1
        surfaces[phrase.tokens][phrase.text.lower()] += 1
    probe = Dictionary()
    for tokens in counts:
        probe.add(tokens, Entry("", "", "learned", ""))
    seen = count_occurrences(probe.compile(), sentences)
    lexicon = Dictionary()
    for tokens, codes in counts.items():
        surface = surfaces[tokens].most_common(1)[0][0]
        for code, count in codes.items():
            system = "icd10cm" if is_diagnosis_code(code) else "icd10pcs"
            entry = Entry(
                code.upper(),
                system,
                "learned",
                surface,
                (),
                count=count,
                seen=max(seen[tokens], count),
                weight=count / (max(seen[tokens], count) + 1),
            )
            lexicon.add(tokens, entry)
    return lexicon.compile()
