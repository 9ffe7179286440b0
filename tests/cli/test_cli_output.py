"""The CLI's output helpers in process: sizes, tables, the progress bar on a terminal."""

from __future__ import annotations

import io

import pytest
from os_data_hub_loader.api.cli import (
    Console,
    ProgressReporter,
    build_parser,
    human_size,
    main,
    table,
)
from os_data_hub_loader.api.download import FileProgress, FileState, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (None, "?"),
        (0, "0 B"),
        (999, "999 B"),
        (4000, "4.0 kB"),
        (4101, "4.1 kB"),
        (1_234_567, "1.2 MB"),
        (1_200_000_000, "1.2 GB"),
        (3_500_000_000, "3.5 GB"),
        (999_960, "1.0 MB"),
    ],
)
def test_human_size(size: int | None, text: str) -> None:
    assert human_size(size) == text


def test_table_aligns_columns() -> None:
    text = table(["ID", "SIZE"], [["a", "4.0 kB"], ["longer-id", "1.2 GB"]], right=[1])
    lines = text.splitlines()
    assert lines == ["ID           SIZE", "a          4.0 kB", "longer-id  1.2 GB"]


def progress(done: int, state: FileState, files_done: int) -> Progress:
    return Progress(
        bytes_done=done,
        bytes_total=2000,
        files_done=files_done,
        files_total=2,
        file=FileProgress("a.zip", min(done, 1000), 1000, state),
    )


def test_progress_bar_on_a_terminal() -> None:
    err = Terminal()
    reporter = ProgressReporter(Console(False, io.StringIO(), err))
    reporter(progress(500, FileState.DOWNLOADING, 0))
    assert "\r[" in err.getvalue() and " 25%" in err.getvalue() and "a.zip  50%" in err.getvalue()
    reporter(progress(1000, FileState.DONE, 1))
    reporter.finish()
    assert "done: a.zip (1.0 kB) [1/2]" in err.getvalue()


def test_one_line_per_file_without_a_terminal() -> None:
    err = io.StringIO()
    reporter = ProgressReporter(Console(False, io.StringIO(), err))
    reporter(progress(500, FileState.DOWNLOADING, 0))
    reporter(progress(1000, FileState.DONE, 1))
    reporter(progress(1000, FileState.DONE, 1))  # reported once
    reporter.finish()
    assert err.getvalue() == "done: a.zip (1.0 kB) [1/2]\n"


def test_quiet_prints_no_progress() -> None:
    err = Terminal()
    reporter = ProgressReporter(Console(True, io.StringIO(), err))
    reporter(progress(1000, FileState.DONE, 1))
    reporter.finish()
    assert err.getvalue() == ""


def test_options_before_or_after_the_command() -> None:
    parser = build_parser()
    before = parser.parse_args(["--key", "k", "-q", "products", "--json"])
    after = parser.parse_args(["products", "--key", "k", "-q", "--json"])
    assert (before.key, before.quiet, before.json) == (after.key, after.quiet, after.json)
    assert parser.parse_args(["--rate-limit", "50", "products"]).rate_limit == 50
    assert parser.parse_args(["products"]).rate_limit == 600


def test_main_returns_usage_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["downloads", "X", "--area", "ZZ"]) == 2
    assert "ZZ" in capsys.readouterr().err
    assert main(["--version"]) == 0
