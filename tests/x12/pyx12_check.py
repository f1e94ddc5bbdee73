"""Run pyx12 (an independent X12 validator, a dev dependency) over X12 text and collect its errors.

pyx12 reports problems through its ``pyx12`` logger (its JSON output omits element-level errors),
so the errors are the ERROR records logged while it validates, plus a failure when it returns False.
Its maps cover 837P 005010X222A1, 837I 005010X223A2, 835 005010X221A1, 999 005010X231A1 and 277
005010X214 among the 5010 guides.
"""

import io
import logging

import pyx12.params
import pyx12.x12n_document


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def pyx12_errors(text: str) -> list[str]:
    """pyx12's errors for ``text`` (an empty list when it finds none)."""
    logger = logging.getLogger("pyx12")
    collect = _Collect()
    logger.addHandler(collect)
    previous, logger.propagate = logger.propagate, False
    try:
        ok = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=io.StringIO(text),
            fd_997=None,
            fd_html=None,
            fd_json=io.StringIO(),
        )
    finally:
        logger.removeHandler(collect)
        logger.propagate = previous
    if not ok and not collect.messages:
        collect.messages.append("pyx12 reported the document invalid without a message")
    return collect.messages
