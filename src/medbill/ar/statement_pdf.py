"""Render a patient statement as PDF with reportlab (standard fonts, so the text is extractable).

The file is written to a temporary name next to the target and renamed into place.
"""

import os
import tempfile
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from medbill.ar.statement import Statement
from medbill.core.money import format_money

COLUMNS = (
    "Service date",
    "Claim",
    "Services",
    "Charges",
    "Insurance paid",
    "Adjustments",
    "You paid",
    "Insurance pending",
    "You owe",
)


def _money(amount: Decimal) -> str:
    return f"${format_money(amount)}" if amount >= 0 else f"-${format_money(-amount)}"


def render_statement(statement: Statement, target: Path) -> None:
    """Write `statement` as a PDF at `target` (atomically)."""
    styles = getSampleStyleSheet()
    story: list[object] = []
    story.append(Paragraph(statement.provider_name, styles["Title"]))
    for line in statement.provider_address:
        story.append(Paragraph(line, styles["Normal"]))
    story.append(Spacer(1, 0.25 * inch))
    story.append(Paragraph("Patient statement", styles["Heading2"]))
    story.append(Paragraph(f"Statement date: {statement.statement_date.isoformat()}", styles["Normal"]))
    story.append(Paragraph(f"Account: {statement.patient_key}", styles["Normal"]))
    story.append(Paragraph(statement.patient_name, styles["Normal"]))
    for line in statement.patient_address:
        story.append(Paragraph(line, styles["Normal"]))
    story.append(Spacer(1, 0.2 * inch))
    rows = [list(COLUMNS)]
    for ln in statement.lines:
        rows.append(
            [
                ln.service_date.isoformat() if ln.service_date else "",
                ln.claim_id,
                " ".join(ln.procedures),
                _money(ln.charges),
                _money(ln.insurance_paid),
                _money(ln.adjustments),
                _money(ln.patient_paid),
                _money(ln.insurance_pending),
                _money(ln.balance),
            ]
        )
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7),
                ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 0.3 * inch))
    story.append(Paragraph(f"Amount due: {_money(statement.amount_due)}", styles["Heading2"]))
    story.append(
        Paragraph(
            "Insurance pending is still with your insurance and is not due from you now.", styles["Normal"]
        )
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        document = SimpleDocTemplate(
            temp,
            pagesize=LETTER,
            title=f"Statement {statement.patient_key} {statement.statement_date.isoformat()}",
            leftMargin=0.5 * inch,
            rightMargin=0.5 * inch,
        )
        document.build(story)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
