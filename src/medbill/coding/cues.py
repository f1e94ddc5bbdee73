"""Context cues read around a mention: neoplasm behaviour, drug-table column, injury encounter,
and side (laterality). The words are data (`data/cues.yaml`); this module finds them.

>>> cues = Cues.default()
>>> cues.columns("neoplasm", ["metastatic", "breast", "cancer"])
['Malignant Secondary', 'Malignant Primary']
>>> cues.encounter(["fracture", "follow", "up"])
'subsequent'
>>> cues.side(["pain", "left", "knee"], 2)
'left'
"""

from collections.abc import Sequence
from functools import cache
from importlib import resources

import yaml

from medbill.coding.normalize import term_tokens


def _contains(tokens: Sequence[str], phrase: tuple[str, ...]) -> int:
    """Index where `phrase` starts in `tokens`, or -1."""
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i : i + n]) == phrase:
            return i
    return -1


class Cues:
    def __init__(self, data: dict[str, dict[str, list[str]]]) -> None:
        self.groups = {
            group: {value: [term_tokens(w) for w in words] for value, words in values.items()}
            for group, values in data.items()
        }

    @classmethod
    @cache
    def default(cls) -> "Cues":
        text = resources.files("medbill.coding").joinpath("data/cues.yaml").read_text(encoding="utf-8")
        return cls(yaml.safe_load(text))

    def columns(self, group: str, tokens: Sequence[str]) -> list[str]:
        """Values of `group` whose cue words occur, in data order."""
        return [
            value
            for value, phrases in self.groups.get(group, {}).items()
            if any(p and _contains(tokens, p) >= 0 for p in phrases)
        ]

    def find(self, group: str, tokens: Sequence[str]) -> list[tuple[str, int, int]]:
        """(value, first token, last token) of every cue of `group` in `tokens`, in data order."""
        out = []
        for value, phrases in self.groups.get(group, {}).items():
            for phrase in phrases:
                n = len(phrase)
                for i in range(len(tokens) - n + 1):
                    if n and tuple(tokens[i : i + n]) == phrase:
                        out.append((value, i, i + n - 1))
        return out

    def encounter(self, tokens: Sequence[str]) -> str:
        """`initial` unless the sentence says subsequent encounter or sequela."""
        found = self.columns("encounter", tokens)
        for value in ("sequela", "subsequent"):
            if value in found:
                return value
        return "initial"

    def open_wound(self, tokens: Sequence[str]) -> bool:
        return "open" in self.columns("encounter", tokens)

    def side(self, tokens: Sequence[str], near: int) -> str:
        """The side word nearest to token `near` ('' when the sentence names none)."""
        best: tuple[int, str] | None = None
        for value, phrases in self.groups.get("laterality", {}).items():
            for phrase in phrases:
                for i in range(len(tokens) - len(phrase) + 1):
                    if tuple(tokens[i : i + len(phrase)]) == phrase:
                        distance = abs(i - near)
                        if best is None or distance < best[0]:
                            best = (distance, value)
        return best[1] if best else ""
