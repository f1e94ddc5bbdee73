"""Walk an interchange's transaction sets with their kind (837P, 835, ...), for the readers.

Readers of one kind call `sets_of_kind`: sets of other kinds are reported once and skipped, and a
set whose implementation convention (ST03, or GS08 when ST03 is empty) is not one the guide reads
gets a finding before it is read with the nearest guide.
"""

from collections.abc import Iterator

from medbill.core.findings import Severity
from medbill.x12.detect import has_guide, transaction_kind
from medbill.x12.envelope import EnvelopeReader, TransactionSet
from medbill.x12.guide import Guide, load_guide
from medbill.x12.lexer import Source
from medbill.x12.report import X12_5010, FindingSink


def kinds(reader: EnvelopeReader) -> Iterator[tuple[str, TransactionSet]]:
    """Each transaction set with its kind."""
    for transaction in reader.transaction_sets():
        yield transaction_kind(transaction.transaction_id, transaction.implementation), transaction


def check_convention(guide: Guide, transaction: TransactionSet, sink: FindingSink) -> None:
    """A finding when the set's implementation convention is not one ``guide`` is meant for."""
    if transaction.implementation not in guide.accepts:
        sink.add(
            "x12.envelope.convention",
            Severity.WARN,
            f"implementation convention {transaction.implementation!r} is not {guide.version}; "
            f"read with the {guide.key} {guide.version} structure",
            transaction.header,
            source=guide.source,
        )


def sets_of_kind(
    source: Source, wanted: tuple[str, ...], sink: FindingSink
) -> Iterator[tuple[str, Guide, TransactionSet]]:
    """The transaction sets of the ``wanted`` kinds, each with its guide; others become findings."""
    reader = EnvelopeReader(source, sink=sink)
    for kind, transaction in kinds(reader):
        if kind not in wanted or not has_guide(kind):
            sink.add(
                "x12.envelope.other_transaction",
                Severity.WARN,
                f"transaction set {transaction.control_number} is a {kind}, not {' or '.join(wanted)}; skipped",
                transaction.header,
                source=X12_5010,
            )
            continue
        guide = load_guide(kind)
        check_convention(guide, transaction, sink)
        yield kind, guide, transaction
