"""Dictionary entries from the code sets: the variants a coder would recognise in a note.

A Tabular description such as "Pneumonia, unspecified organism" is also found as "pneumonia";
"Unspecified fracture of right patella" as "fracture patella" with the side kept aside (the note's
own side words choose among right, left and unspecified); nonessential modifiers in parentheses
are optional ("Essential (primary) hypertension" → "essential hypertension"); comma-inverted
titles are read both ways ("Kidney disease, chronic" → "chronic kidney disease"). Codes with a 7th
character are not entries: code assembly adds the 7th character from the encounter context.

>>> sorted(" ".join(v) for v in description_variants("Pneumonia, unspecified organism")[0])
['organism pneumonia', 'pneumonia', 'pneumonia organism', 'pneumonia unspecified organism', 'unspecified organism pneumonia']
>>> variants, side = description_variants("Unspecified fracture of right patella")
>>> sorted(" ".join(v) for v in variants), side
(['fracture patella', 'patella fracture', 'unspecified fracture patella'], 'right')
"""

import re
from collections.abc import Iterable
from importlib import resources

import yaml

from medbill.codesets.records import Term
from medbill.coding.dictionary import Dictionary, Entry
from medbill.coding.normalize import term_tokens
from medbill.coding.terminology import Terminology

_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOISE = re.compile(r"\b(?:nos|nec|not elsewhere classified|not otherwise specified|site not specified)\b")
_UNSPECIFIED = re.compile(r"\bunspecified\b")
# "Pain in knee" / "Fracture of patella" are also written "knee pain" / "patella fracture"
_IN_OF = re.compile(r"^([a-z]+(?: [a-z]+)?) (?:in|of) ([a-z][a-z ]*[a-z])$")
SIDES = {"right": "right", "left": "left", "bilateral": "bilateral", "both": "bilateral"}
SIDE_TOKENS = frozenset(("right", "left", "bilateral"))
# Kinds of entry and how much a match of that kind is worth before any learning.
KIND_WEIGHT = {
    "description": 0.55,
    "inclusion": 0.5,
    "neoplasm": 0.5,
    "drug": 0.4,
    "ecause": 0.3,
    "pcs_index": 0.45,
    "hcpcs": 0.4,
    "index": 0.55,
}


def _side(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    sides = {SIDES[t] for t in tokens if t in SIDE_TOKENS}
    rest = tuple(t for t in tokens if t not in SIDE_TOKENS)
    if not rest:
        return tokens, ""
    side = "bilateral" if "bilateral" in sides or {"right", "left"} <= sides else next(iter(sides), "")
    return rest, side


def description_variants(text: str) -> tuple[set[tuple[str, ...]], str]:
    """Token variants of a Tabular title and the side it names ('' for none)."""
    lowered = text.lower()
    bases = {lowered, _BRACKETS.sub(" ", lowered), lowered.replace("(", " ").replace(")", " ")}
    forms: set[str] = set()
    for base in bases:
        base = _NOISE.sub(" ", base)
        forms.add(base)
        parts = [p.strip() for p in base.split(",") if p.strip()]
        if len(parts) > 1:
            forms.add(" ".join(parts))
            forms.add(" ".join(parts[1:] + parts[:1]))
            rest = " ".join(parts[1:])
            if rest.startswith(("unspecified", "not ")) or not term_tokens(_UNSPECIFIED.sub(" ", rest)):
                forms.add(parts[0])
    for form in list(forms):
        inverted = _IN_OF.match(_UNSPECIFIED.sub(" ", form).strip())
        if inverted and len(inverted.group(2).split()) <= 3:
            forms.add(f"{inverted.group(2)} {inverted.group(1)}")
    out: set[tuple[str, ...]] = set()
    side = ""
    for form in forms:
        tokens, found = _side(term_tokens(form))
        side = side or found
        if tokens:
            out.add(tokens)
            dropped = tuple(t for t in tokens if t != "unspecified")
            if dropped and dropped != tokens:
                out.add(dropped)
    return out, side


def _seventh_character_code(code: str) -> bool:
    return len(code.replace(".", "")) == 7


def conjunct_variants(text: str) -> list[tuple[str, ...]]:
    """The condition of a "without …" or ", uncomplicated" title, which the Index gives when the
    note says no more. (The halves of "A and B" titles are not used: on CodiEsp they cost the rules
    precision; the common ones are Index entries in `data/index_terms.yaml`.)

    >>> conjunct_variants("Acute cystitis without hematuria")
    [('acute', 'cystitis')]
    >>> conjunct_variants("Alcohol dependence, uncomplicated")
    [('alcohol', 'dependence')]
    >>> conjunct_variants("Syncope and collapse")
    []
    """
    base = _NOISE.sub(" ", _BRACKETS.sub(" ", text.lower()))
    base = re.sub(r",\s*unspecified\s*$", "", base.strip())
    head = re.match(r"^([a-z][a-z -]*?)(?: without |, uncomplicated$)", base)
    if not head:
        return []
    tokens = term_tokens(head.group(1))
    return [tokens] if 0 < len(tokens) <= 4 and not set(tokens) & SIDE_TOKENS else []


def add_icd_terms(dictionary: Dictionary, terms: Iterable[Term]) -> None:
    """Every title's variants; then the condition of "X without Y" titles, unless another title
    (not a header above it) already names it."""
    named: dict[tuple[str, ...], set[str]] = {}
    halves: list[tuple[tuple[str, ...], Entry]] = []
    for term in terms:
        if _seventh_character_code(term.code):
            continue
        variants, side = description_variants(term.text)
        entry = Entry(
            term.code,
            "icd10cm",
            term.kind,
            term.text,
            term.path,
            laterality=side,
            weight=KIND_WEIGHT[term.kind],
        )
        for tokens in variants:
            dictionary.add(tokens, entry)
        for tokens in variants:
            named.setdefault(tokens, set()).add(term.code)
        if term.kind == "description":
            halves.extend((tokens, entry) for tokens in conjunct_variants(term.text))
    codes_of_half: dict[tuple[str, ...], set[str]] = {}
    for tokens, entry in halves:
        codes_of_half.setdefault(tokens, set()).add(entry.code)
    for tokens, entry in halves:
        # a header naming the half ("Acute cystitis" N30.0 over N30.00/N30.01) does not count
        others = {c for c in named.get(tokens, ()) if not entry.code.startswith(c)}
        if not others and len(codes_of_half[tokens]) == 1:
            dictionary.add(tokens, entry)


def add_index_terms(dictionary: Dictionary, terms: Iterable[Term]) -> None:
    """Neoplasm-table sites, Drug-table substances and External-cause paths."""
    for term in terms:
        if _seventh_character_code(term.code) and term.kind != "drug":
            continue
        if term.kind == "neoplasm":
            sites = term.path[1:-1]
            if not sites:
                continue
            column = term.path[-1]
            texts = {sites[0]} if len(sites) == 1 else {" ".join(sites[-2:]), " ".join(reversed(sites[-2:]))}
            requires = "neoplasm"
        elif term.kind == "drug":
            column = term.path[-1]
            names = term.path[:-1]
            texts = {names[-1], " ".join(names[-2:])}
            requires = (
                "drug_poisoning" if column.startswith("Poisoning") else "drug_" + column.split()[0].lower()
            )
        elif term.kind == "ecause":
            if len(term.path) > 2:
                continue
            column, requires = "", ""
            texts = {" ".join(term.path)}
        else:
            continue
        code = term.code.rstrip("-").rstrip(".")
        entry = Entry(
            code,
            "icd10cm",
            term.kind,
            " → ".join(term.path),
            term.path,
            column=column,
            requires=requires,
            weight=KIND_WEIGHT[term.kind],
        )
        for text in texts:
            for tokens in description_variants(text)[0]:
                dictionary.add(tokens, entry)


def add_pcs_terms(dictionary: Dictionary, terminology: Terminology) -> None:
    """ICD-10-PCS Index paths: the main term (root operation or procedure name) and its subterms
    (body part, device, ...) as one pattern each way round; the side becomes `laterality`."""
    for item in terminology.pcs_index_terms():
        code = (item.code or item.table).upper()
        if not code:
            continue
        path = tuple(p for p in item.path if p)
        main, subs = path[0], path[1:]
        side = ""
        if subs and subs[-1].lower() in SIDES:
            side = SIDES[subs[-1].lower()]
            subs = subs[:-1]
        if item.see and not subs:
            # "Cystectomy — see Resection, Bladder 0TTB": the main term alone names the code.
            subs = ()
        entry = Entry(
            code,
            "icd10pcs",
            "pcs_index",
            " → ".join(item.path),
            item.path,
            laterality=side,
            weight=KIND_WEIGHT["pcs_index"],
        )
        main_variants = description_variants(main)[0]
        sub_variants = description_variants(" ".join(subs))[0] if subs else {()}
        for m in main_variants:
            for s in sub_variants:
                dictionary.add(m + s, entry)
                if s:
                    dictionary.add(s + m, entry)


def add_hcpcs_terms(dictionary: Dictionary, terms: Iterable[Term]) -> None:
    """HCPCS Level II drugs and supplies: the description without its dose/unit tail, and for drug
    codes ("Injection, dexamethasone sodium phosphate, 1 mg") the drug name with its route."""
    for term in terms:
        text = term.text.lower()
        parts = [p.strip() for p in text.split(",")]
        head = parts[0]
        names = {text}
        if head in ("injection", "infusion", "inhalation solution") and len(parts) > 1:
            names.add(f"{head} {parts[1]}")
            names.add(f"{parts[1]} {head}")
        elif len(parts) > 1:
            names.add(" ".join(p for p in parts if not re.search(r"\d", p)))
        entry = Entry(term.code, "hcpcs", "hcpcs", term.text, term.path, weight=KIND_WEIGHT["hcpcs"])
        for name in names:
            tokens = term_tokens(_BRACKETS.sub(" ", name))
            if len(tokens) >= 2:
                dictionary.add(tokens, entry)


def add_alphabetic_index_terms(dictionary: Dictionary, codes: Iterable[str] | None = None) -> None:
    """Curated Alphabetic Index entries (`data/index_terms.yaml`) whose code is in `codes` (the
    date's billable codes; every entry when None)."""
    known = set(codes) if codes is not None else None
    text = resources.files("medbill.coding").joinpath("data/index_terms.yaml").read_text(encoding="utf-8")
    for item in yaml.safe_load(text).get("terms", []):
        code = str(item["code"])
        if known is not None and code not in known:
            continue
        tokens = tuple(t for t in term_tokens(str(item["term"])) if t not in SIDE_TOKENS)
        entry = Entry(
            code,
            "icd10cm",
            "index",
            str(item["term"]),
            (code,),
            laterality=str(item.get("side", "")),
            weight=KIND_WEIGHT["index"],
        )
        dictionary.add(tokens, entry)


def build_dictionary(terminology: Terminology) -> Dictionary:
    """Every knowledge-base entry for the terminology's date."""
    dictionary = Dictionary()
    add_icd_terms(dictionary, terminology.icd_terms())
    add_alphabetic_index_terms(dictionary)
    add_index_terms(dictionary, terminology.index_terms())
    add_pcs_terms(dictionary, terminology)
    add_hcpcs_terms(dictionary, terminology.hcpcs_terms())
    return dictionary
