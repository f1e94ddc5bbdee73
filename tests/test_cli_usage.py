"""Usage mistakes on any command are a message and exit status 2, never a traceback."""

import pytest

from medbill.cli.main import run


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["price"], "Missing argument"),
        (["codes", "show", "--no-such-option"], "No such option"),
        (["claims", "check", "--unknown"], "No such option"),
    ],
)
def test_usage_errors_exit_2_with_a_message(argv: list[str], says: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        run(argv)
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert says in captured.err + captured.out
    assert "Traceback" not in captured.err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        run(["--help"])
    assert stop.value.code == 0
    assert "medbill" in capsys.readouterr().out
