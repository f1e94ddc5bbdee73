"""Rendering helpers: the template environment, redirects with a message, the note with its evidence
highlighted, and small inline SVG bar charts."""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from medbill.web import HERE

templates = Jinja2Templates(directory=str(HERE / "templates"))


def render(
    request: Request, template: str, viewer: Any = None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    context.setdefault("message", request.query_params.get("msg", "")[:300])
    context.setdefault("error", request.query_params.get("err", "")[:300])
    response = templates.TemplateResponse(
        request, template, {"viewer": viewer, **context}, status_code=status_code
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def back(path: str, *, msg: str = "", err: str = "") -> RedirectResponse:
    """Redirect after a form post (303, so the browser GETs the page), with a message to show."""
    query = []
    if msg:
        query.append("msg=" + quote(msg[:300]))
    if err:
        query.append("err=" + quote(err[:300]))
    joiner = "&" if "?" in path else "?"
    return RedirectResponse(path + (joiner + "&".join(query) if query else ""), status_code=303)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    codes: tuple[str, ...] = ()
    status: str = ""

    @property
    def marked(self) -> bool:
        return bool(self.codes or self.status)


def highlight(note: str, spans: Sequence[tuple[int, int, str, str]]) -> list[Segment]:
    """Cut `note` into segments; each marked segment names the codes whose evidence covers it and the
    status of the mention there. `spans` are (start, end, code or "", status)."""
    cuts = {0, len(note)}
    clean = []
    for start, end, code, status in spans:
        start, end = max(0, min(start, len(note))), max(0, min(end, len(note)))
        if end > start:
            cuts.update((start, end))
            clean.append((start, end, code, status))
    points = sorted(cuts)
    segments = []
    for a, b in itertools.pairwise(points):
        covering = [s for s in clean if s[0] <= a and b <= s[1]]
        codes = tuple(dict.fromkeys(c for _, _, c, _ in covering if c))
        statuses = [st for _, _, _, st in covering if st]
        segments.append(Segment(note[a:b], codes, statuses[0] if statuses else ""))
    return segments


def bars(
    items: Sequence[tuple[str, Decimal | int]], *, width: int = 420, bar: int = 22, money: bool = True
) -> str:
    """A horizontal bar chart as inline SVG (labels and values as text, readable without colour)."""
    from markupsafe import escape

    biggest = max((float(v) for _, v in items), default=0.0) or 1.0
    label_w, value_w = 110, 90
    room = width - label_w - value_w
    rows = []
    for i, (label, value) in enumerate(items):
        y = i * (bar + 8)
        w = max(2.0, room * float(value) / biggest) if float(value) > 0 else 0.0
        shown = f"${value:,.2f}" if money else f"{value}"
        rows.append(
            f'<text x="0" y="{y + bar * 0.7:.0f}" class="chart-label">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" class="chart-bar"><title>{escape(label)}: {escape(shown)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar * 0.7:.0f}" class="chart-value">{escape(shown)}</text>'
        )
    height = max(1, len(items)) * (bar + 8)
    return (
        f'<svg role="img" class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )
