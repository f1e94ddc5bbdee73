"""The label space of a coded corpus, and how a reportable code maps into it.

CodiEsp is coded with CIE-10-ES 2018; medbill reports codes of the release in force on the date of
service. `LabelSpace.label(code)` gives the corpus label a code falls under, using the codes seen
in the training gold standard as the list of corpus codes: the code itself if known; without its
7th character if that is known (the corpus codes injuries without the encounter character,
`s39.94x`); else its nearest known ancestor (a code that was a leaf in 2018 and has been split
since, `N18.30` → `n18.3`); for ICD-10-PCS, the 4-character root if only that is known. A code
with no known form is its own label, lower-cased.

>>> space = LabelSpace({"n18.3", "s39.94x", "bw20", "j18.9"})
>>> [space.label(c) for c in ("N18.31", "S39.94XA", "BW201ZZ", "J18.9", "E11.9")]
['n18.3', 's39.94x', 'bw20', 'j18.9', 'e11.9']
"""

from collections.abc import Iterable


class LabelSpace:
    def __init__(self, known: Iterable[str]) -> None:
        self.known = frozenset(c.lower() for c in known)

    def label(self, code: str) -> str:
        low = code.strip().lower()
        if low in self.known:
            return low
        if "." in low:
            bare = low.replace(".", "")
            if len(bare) == 7:
                stripped = f"{bare[:3]}.{bare[3:6]}"
                if stripped in self.known:
                    return stripped
                low_stripped = stripped
            else:
                low_stripped = low
            while len(bare) > 3:
                bare = bare[:-1]
                candidate = bare if len(bare) == 3 else f"{bare[:3]}.{bare[3:]}"
                if candidate in self.known:
                    return candidate
            return low_stripped if len(low.replace(".", "")) == 7 and low[0] in "st" else low
        if len(low) == 7 and low[:4] in self.known:
            return low[:4]
        return low
