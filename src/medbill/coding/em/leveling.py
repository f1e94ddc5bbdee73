"""Choosing the office/outpatient E/M code from total time and/or MDM (AMA guidelines, 2021+).

MDM is the highest level that two of the three elements meet — the middle of the three element
levels. Time selects the highest code whose minimum the total time meets. When both are given the
higher level wins (on a tie MDM is named, unless the time also reaches a prolonged-service add-on,
which only time-based selection can carry).

>>> level("established", minutes=39).code, level("established", minutes=40).code
('99214', '99215')
>>> r = level("new", problems="moderate", data="minimal", risk="moderate")
>>> r.code, r.mdm, r.elements_met
('99204', 'moderate', ('problems', 'risk'))
"""

from collections.abc import Sequence

from medbill.coding.em.guidelines import ELEMENTS, Basis, Guidelines, Patient, patient_of
from medbill.coding.em.result import EmLevel, Evidence
from medbill.core.errors import InputError


class NoBillableLevel(InputError):
    """Leveling was asked but nothing supports a billable level (e.g. time below every minimum)."""


def mdm_of(
    problems: str | int | None, data: str | int | None, risk: str | int | None, g: Guidelines
) -> tuple[int, tuple[str, ...]]:
    """(MDM ordinal, elements that meet it): the level two of the three elements meet."""
    ords = {"problems": g.element_level("problems", problems)}
    ords["data"] = g.element_level("data", data)
    ords["risk"] = g.element_level("risk", risk)
    mdm = sorted(ords.values())[1]
    return mdm, tuple(e for e in ELEMENTS if ords[e] >= mdm)


def level(
    patient: Patient | str,
    *,
    minutes: int | None = None,
    problems: str | int | None = None,
    data: str | int | None = None,
    risk: str | int | None = None,
    evidence: Sequence[Evidence] = (),
    guidelines: Guidelines | None = None,
) -> EmLevel:
    """The E/M level supported by total `minutes` and/or the three MDM elements.

    Raises InputError for an unusable combination (nothing given, some MDM elements missing, a
    negative time) and NoBillableLevel when only time is given and it is below every minimum.
    """
    g = guidelines or Guidelines.default()
    who = patient_of(patient)
    given = {"problems": problems, "data": data, "risk": risk}
    named = [e for e, v in given.items() if v is not None]
    if named and len(named) < 3:
        missing = ", ".join(e for e in ELEMENTS if given[e] is None)
        raise InputError(f"MDM needs all three elements (problems, data, risk); missing: {missing}")
    if minutes is None and not named:
        raise InputError("give the total time in minutes, or the three MDM elements (problems, data, risk)")
    if minutes is not None and (isinstance(minutes, bool) or minutes < 0):
        raise InputError(f"total time must be a number of minutes ≥ 0, not {minutes!r}")

    time_ord = g.time_level(who, minutes) if minutes is not None else None
    mdm_ord: int | None = None
    met: tuple[str, ...] = ()
    names: dict[str, str | None] = dict.fromkeys(ELEMENTS)
    if named:
        mdm_ord, met = mdm_of(given["problems"], given["data"], given["risk"], g)
        names = {e: g.scales[e][g.element_level(e, v)] for e, v in given.items() if v is not None}

    if time_ord is None and mdm_ord is None:
        assert minutes is not None
        raise NoBillableLevel(
            _below_minimum(g, who, minutes) + " and no MDM was given; " + _why_not_99211(g, who)
        )

    prolonged = _prolonged(g, who, minutes) if time_ord == len(g.mdm_levels) - 1 else ()
    if mdm_ord is None or (
        time_ord is not None and (time_ord > mdm_ord or (time_ord == mdm_ord and prolonged))
    ):
        basis, chosen = Basis.TIME, time_ord
    else:
        basis, chosen = Basis.MDM, mdm_ord
    assert chosen is not None
    code = g.code_for(who, chosen)
    time_text = _time_text(g, who, minutes, time_ord) if minutes is not None else ""
    mdm_text = _mdm_text(g, mdm_ord, met, names) if mdm_ord is not None else ""
    if basis is Basis.TIME:
        reason = f"{who.value} patient, {code} by time: {time_text}"
        if mdm_ord == time_ord:
            reason += " (time named: only time-based selection can add prolonged service)"
        if mdm_ord is not None:
            reason += f". MDM supports {g.code_for(who, mdm_ord)}: {mdm_text}"
    else:
        reason = f"{who.value} patient, {code} by MDM: {mdm_text}"
        if minutes is not None:
            reason += f". Time: {time_text}"
    return EmLevel(
        code=code,
        patient=who,
        basis=basis,
        reason=reason,
        mdm=g.mdm_levels[mdm_ord] if mdm_ord is not None else None,
        elements_met=met,
        problems=names["problems"],
        data=names["data"],
        risk=names["risk"],
        minutes=minutes,
        time_code=g.code_for(who, time_ord) if time_ord is not None else None,
        mdm_code=g.code_for(who, mdm_ord) if mdm_ord is not None else None,
        notes=prolonged if basis is Basis.TIME else (),
        evidence=tuple(evidence),
    )


def _time_text(g: Guidelines, who: Patient, minutes: int, time_ord: int | None) -> str:
    if time_ord is None:
        return _below_minimum(g, who, minutes)
    row = g.codes[who][time_ord]
    text = f"total time {minutes} minutes meets the {row.minutes}-minute minimum of {row.code}"
    if time_ord + 1 < len(g.codes[who]):
        above = g.codes[who][time_ord + 1]
        text += f" ({above.code} needs {above.minutes})"
    return text


def _below_minimum(g: Guidelines, who: Patient, minutes: int) -> str:
    low = g.codes[who][0]
    return f"total time {minutes} minutes is below the {low.minutes}-minute minimum of {low.code}"


def _mdm_text(g: Guidelines, mdm: int, met: tuple[str, ...], names: dict[str, str | None]) -> str:
    level_name = g.mdm_levels[mdm]
    values = ", ".join(f"{e} {names[e]}" for e in ELEMENTS)
    if mdm == 0:
        return f"{level_name} MDM — fewer than two of three elements above minimal ({values})"
    others = [f"{e} {names[e]}" for e in ELEMENTS if e not in met]
    parts = [f"{e} {names[e]}" for e in met]
    meeting = ", ".join(parts[:-1]) + " and " + parts[-1]
    text = f"{level_name} MDM — {meeting} meet {level_name}"
    text += " (all three)" if not others else f" (two of three; {others[0]})"
    return text


def _prolonged(g: Guidelines, who: Patient, minutes: int | None) -> tuple[str, ...]:
    if minutes is None:
        return ()
    notes = []
    for p in g.prolonged[who]:
        if minutes >= p.minutes:
            units = 1 + (minutes - p.minutes) // 15
            notes.append(f"{minutes} minutes may also support {units} × {p.code} under {p.payer}")
    return tuple(notes)


def _why_not_99211(g: Guidelines, who: Patient) -> str:
    return (
        g.not_selected.get("99211", "") if who is Patient.ESTABLISHED else "no lower new-patient code exists"
    )
