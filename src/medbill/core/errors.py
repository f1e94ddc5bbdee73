"""Exceptions. Bad user data normally becomes a `Finding`; these are for what cannot go on.

`InputError` is a problem with what the user gave (a file that does not parse, a malformed code):
the CLI prints it and exits with status 2. `DataError` is a problem with reference data (a missing
or corrupt release file). Anything else is a bug.
"""


class MedbillError(Exception):
    """Base of medbill's own errors."""


class InputError(MedbillError):
    """The user's input cannot be used; the message says what and where."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems

    def __str__(self) -> str:
        text = super().__str__()
        if self.problems:
            text += "".join(f"\n  - {p}" for p in self.problems)
        return text


class DataError(MedbillError):
    """Reference data is missing, corrupt or not installed; the message names the file or release."""
