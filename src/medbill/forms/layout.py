"""Form layout and drawing: named boxes with a label, and the values that go in them, drawn with reportlab.

A form is a mapping of box ids (``"1a"``, ``"24F.3"``, ``"FL42.7"``) to `Box` rectangles in points
from the bottom-left corner of a US letter page. Each page to print is a mapping of box ids to the
text for that box (one string per line of text). `render` draws every box frame and label and then
the values, so the PDF carries real text that can be searched and extracted. The layout is drawn
as a clean form, not a copy of the printed form's artwork.
"""

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

LABEL_FONT = ("Helvetica", 5.2)
VALUE_FONT = ("Courier", 8.0)
LINE_HEIGHT = 8.6
PAGE_WIDTH, PAGE_HEIGHT = letter

Page = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle (x, y of its bottom-left corner, width, height) with an optional printed label."""

    x: float
    y: float
    width: float
    height: float
    label: str = ""
    frame: bool = True
    shaded: bool = False
    align: str = "left"

    def contains(self, x: float, y: float, slack: float = 0.5) -> bool:
        return (
            self.x - slack <= x <= self.x + self.width + slack
            and self.y - slack <= y <= self.y + self.height + slack
        )


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    title: tuple[str, ...]
    boxes: Mapping[str, Box]


def value_lines(box: Box, text: Sequence[str]) -> list[tuple[float, float, str]]:
    """Where each line of ``text`` goes in ``box``: (x, baseline y, text), below the label if any."""
    if box.label and box.height < LABEL_FONT[1] + VALUE_FONT[1] + 2:
        # a low box: the value goes beside its label, on one line
        start = box.x + 4 + stringWidth(box.label, *LABEL_FONT)
        return [(start, box.y + 2.5, text[0])] if text else []
    top = box.y + box.height - (LABEL_FONT[1] + 2.5 if box.label else 1.5)
    out = []
    for index, line in enumerate(text):
        baseline = top - VALUE_FONT[1] * 0.8 - index * LINE_HEIGHT
        if baseline < box.y + 0.5:
            break
        width = len(line) * VALUE_FONT[1] * 0.6
        if box.align == "right":
            x = box.x + box.width - 2 - width
        elif box.align == "center":
            x = box.x + (box.width - width) / 2
        else:
            x = box.x + 2
        out.append((x, baseline, line))
    return out


def _frame(canvas: Canvas, box: Box) -> None:
    if box.shaded:
        canvas.setFillGray(0.93)
        canvas.rect(box.x, box.y, box.width, box.height, stroke=0, fill=1)
        canvas.setFillGray(0)
    if box.frame:
        canvas.rect(box.x, box.y, box.width, box.height, stroke=1, fill=0)
    if box.label:
        canvas.setFont(*LABEL_FONT)
        canvas.drawString(box.x + 1.5, box.y + box.height - LABEL_FONT[1] - 0.8, box.label)


def render(form: Form, pages: Sequence[Page], footer: str = "") -> bytes:
    """The PDF for ``pages`` of ``form``."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, pageCompression=1)
    canvas.setTitle(form.name)
    canvas.setAuthor("medbill")
    for number, page in enumerate(pages, start=1):
        canvas.setLineWidth(0.4)
        title_y = PAGE_HEIGHT - 20
        for index, line in enumerate(form.title):
            canvas.setFont("Helvetica-Bold" if index == 0 else "Helvetica", 10 if index == 0 else 6)
            canvas.drawString(24, title_y - index * 9, line)
        for box in form.boxes.values():
            _frame(canvas, box)
        canvas.setFont(*VALUE_FONT)
        for box_id, text in page.items():
            box = form.boxes[box_id]
            for x, y, line in value_lines(box, text):
                canvas.drawString(x, y, line)
        canvas.setFont(*LABEL_FONT)
        canvas.drawRightString(PAGE_WIDTH - 24, 12, f"{footer}page {number} of {len(pages)}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def money_text(amount: object) -> str:
    """An amount for a form box: two decimals, no currency sign."""
    from decimal import Decimal

    from medbill.core.money import format_money

    assert isinstance(amount, Decimal)
    return format_money(amount)
