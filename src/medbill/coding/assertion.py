"""Assertion context: is a mention present, negated, possible, historical, in a relative, or
hypothetical? A lean implementation of the ConText algorithm (Chapman et al., 2009).

Trigger terms come from `data/context_rules.yaml`. In each sentence: find the triggers (pseudo
triggers such as "no increase" or "gram negative" mask the triggers they contain), give each
trigger a scope (forward to the sentence end, a terminator such as "but", or `window` words;
backward likewise), and give a mention every category whose scope overlaps it. The section adds
a default: mentions in a family-history section are `family`, in a past-history section `history`.

>>> ctx = AssertionContext.default()
>>> s = "Denies chest pain but reports cough."
>>> ctx.status(s, 0, len(s), s.index("chest"), s.index("chest") + 10).value
'negated'
>>> ctx.status(s, 0, len(s), s.index("cough"), s.index("cough") + 5).value
'present'
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from medbill.coding.normalize import fold
from medbill.coding.sections import SectionKind


class Status(StrEnum):
    """What the note says about a condition."""

    PRESENT = "present"
    NEGATED = "negated"
    POSSIBLE = "possible"
    HISTORY = "history"
    FAMILY = "family"
    HYPOTHETICAL = "hypothetical"


# When several categories apply, the first in this order wins ("no family history of X" is negated).
PRECEDENCE = (Status.NEGATED, Status.FAMILY, Status.HYPOTHETICAL, Status.POSSIBLE, Status.HISTORY)
_SECTION_DEFAULT = {
    SectionKind.FAMILY_HISTORY: Status.FAMILY,
    SectionKind.PAST_HISTORY: Status.HISTORY,
    SectionKind.SURGICAL_HISTORY: Status.HISTORY,
}
_WORD = re.compile(r"[0-9a-z]+")


def _alternation(phrases: list[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    ordered = sorted({fold(p).strip() for p in phrases}, key=len, reverse=True)
    body = "|".join(r"[\s\-]+".join(re.escape(w) for w in p.split()) for p in ordered)
    return re.compile(rf"(?<![0-9a-z/])(?:{body})(?![0-9a-z/])")


@dataclass(frozen=True, slots=True)
class Trigger:
    status: Status
    forward: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Modifier:
    """A trigger and the span of the sentence it governs (offsets into the note)."""

    status: Status
    trigger_start: int
    trigger_end: int
    scope_start: int
    scope_end: int


class AssertionContext:
    """Compiled ConText rules."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.window = int(rules.get("window", 8))
        self._forward: dict[Status, re.Pattern[str] | None] = {}
        self._backward: dict[Status, re.Pattern[str] | None] = {}
        self._pseudo: dict[Status, re.Pattern[str] | None] = {}
        self._terminators: dict[Status, re.Pattern[str] | None] = {}
        terminators = rules.get("terminators", {})
        for status in PRECEDENCE:
            spec = rules.get(status.value, {})
            self._forward[status] = _alternation(list(spec.get("forward", [])) + list(spec.get("both", [])))
            self._backward[status] = _alternation(list(spec.get("backward", [])) + list(spec.get("both", [])))
            self._pseudo[status] = _alternation(list(spec.get("pseudo", [])))
            self._terminators[status] = _alternation(
                list(terminators.get("all", [])) + list(terminators.get(status.value, []))
            )

    @classmethod
    @cache
    def default(cls) -> "AssertionContext":
        text = (
            resources.files("medbill.coding").joinpath("data/context_rules.yaml").read_text(encoding="utf-8")
        )
        return cls(yaml.safe_load(text))

    def _triggers(self, folded: str) -> list[Trigger]:
        out = []
        for status in PRECEDENCE:
            pseudo = self._pseudo[status]
            masked = [(m.start(), m.end()) for m in pseudo.finditer(folded)] if pseudo else []
            for forward, pattern in ((True, self._forward[status]), (False, self._backward[status])):
                if pattern is None:
                    continue
                for m in pattern.finditer(folded):
                    if any(s <= m.start() < e or s < m.end() <= e for s, e in masked):
                        continue
                    out.append(Trigger(status, forward, m.start(), m.end()))
        return out

    def modifiers(self, text: str, start: int, end: int) -> list[Modifier]:
        """The modifiers of the sentence `text[start:end]`, with scopes as note offsets."""
        folded = fold(text[start:end])
        word_starts = [m.start() for m in _WORD.finditer(folded)]
        word_ends = [m.end() for m in _WORD.finditer(folded)]
        out = []
        for trig in self._triggers(folded):
            terms = self._terminators[trig.status]
            stops = [(m.start(), m.end()) for m in terms.finditer(folded)] if terms else []
            if trig.forward:
                following = [s for s in word_starts if s >= trig.end]
                limit = following[self.window] if len(following) > self.window else len(folded)
                cut = min([s for s, _ in stops if s >= trig.end] + [limit])
                scope = (trig.end, cut)
            else:
                preceding = [e for e in word_ends if e <= trig.start]
                limit = preceding[-self.window - 1] if len(preceding) > self.window else 0
                cut = max([e for _, e in stops if e <= trig.start] + [limit])
                scope = (cut, trig.start)
            if scope[1] > scope[0]:
                out.append(
                    Modifier(
                        trig.status, start + trig.start, start + trig.end, start + scope[0], start + scope[1]
                    )
                )
        return out

    @staticmethod
    def resolve(
        modifiers: list[Modifier], mention_start: int, mention_end: int, section: SectionKind | None = None
    ) -> Status:
        """The status of the mention `[mention_start, mention_end)` under these modifiers."""
        found = {
            m.status
            for m in modifiers
            if m.scope_start < mention_end
            and mention_start < m.scope_end
            and not (m.trigger_start < mention_end and mention_start < m.trigger_end)
        }
        default = _SECTION_DEFAULT.get(section) if section else None
        if default is not None:
            found.add(default)
        for status in PRECEDENCE:
            if status in found:
                return status
        return Status.PRESENT

    def status(
        self,
        text: str,
        start: int,
        end: int,
        mention_start: int,
        mention_end: int,
        section: SectionKind | None = None,
    ) -> Status:
        """The status of one mention in the sentence `text[start:end]`."""
        return self.resolve(self.modifiers(text, start, end), mention_start, mention_end, section)
