"""A note prepared for coding: sections, sentences, normalised tokens with offsets, assertion
modifiers — computed once and shared by the stages.

>>> doc = Document.prepare("PMH: HTN.\\nDenies chest pain.", {"htn": "hypertension"})
>>> [s.text for s in doc.sentences]
['PMH: HTN.', 'Denies chest pain.']
>>> [t.norm for t in doc.sentences[0].tokens]  # a section header is not text to code
['hypertension']
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from medbill.coding.assertion import AssertionContext, Modifier, Status
from medbill.coding.normalize import Token, tokenize
from medbill.coding.result import Candidate, Mention
from medbill.coding.sections import Section, SectionKind, SectionMap, detect_sections
from medbill.coding.sentences import split_sentences


@dataclass(slots=True)
class SentenceView:
    """One sentence: span, text, section kind, tokens; assertion modifiers on first use."""

    index: int
    start: int
    end: int
    text: str
    section: SectionKind
    tokens: list[Token]
    context: AssertionContext
    note: str
    _modifiers: list[Modifier] | None = field(default=None)

    @property
    def norms(self) -> list[str]:
        return [t.norm for t in self.tokens]

    def modifiers(self) -> list[Modifier]:
        if self._modifiers is None:
            self._modifiers = self.context.modifiers(self.note, self.start, self.end)
        return self._modifiers

    def status(self, start: int, end: int) -> Status:
        return self.context.resolve(self.modifiers(), start, end, self.section)

    def mention(
        self,
        start: int,
        end: int,
        source: str,
        candidates: Sequence[Candidate],
        *,
        status_span: tuple[int, int] | None = None,
        contained: bool = False,
    ) -> Mention:
        """The mention of `note[start:end]` in this sentence; its assertion status is read for
        `status_span` when given (e.g. the injury word of "no fracture of the wrist")."""
        status = self.status(*(status_span or (start, end)))
        return Mention(
            start,
            end,
            self.note[start:end],
            status,
            self.section,
            self.index,
            source,
            tuple(candidates),
            contained,
        )


@dataclass(slots=True)
class Document:
    text: str
    sections: list[Section]
    sentences: list[SentenceView]

    @classmethod
    def prepare(
        cls,
        text: str,
        abbreviations: Mapping[str, str] | None = None,
        context: AssertionContext | None = None,
    ) -> "Document":
        ctx = context or AssertionContext.default()
        sections = detect_sections(text)
        where = SectionMap(sections)
        headers = _header_spans(text, sections)
        sentences = []
        for i, s in enumerate(split_sentences(text)):
            section = where.at(s.start)
            chunk = text[s.start : s.end]
            tokens = [
                Token(t.norm, t.start + s.start, t.end + s.start)
                for t in tokenize(chunk, abbreviations)
                if not any(a <= t.start + s.start < b for a, b in headers)
            ]
            sentences.append(
                SentenceView(
                    i, s.start, s.end, chunk, section.kind if section else SectionKind.BODY, tokens, ctx, text
                )
            )
        return cls(text, sections, sentences)

    def norm_text(self) -> str:
        """All tokens, space separated (the document as the kNN model sees it)."""
        return " ".join(t.norm for s in self.sentences for t in s.tokens)


def _header_spans(text: str, sections: list[Section]) -> list[tuple[int, int]]:
    """Where the section titles are ("HISTORY OF PRESENT ILLNESS" is not an illness to code)."""
    out = []
    for section in sections:
        if section.title:
            at = text.find(section.title, section.start)
            if at >= 0:
                out.append((at, at + len(section.title)))
    return out
