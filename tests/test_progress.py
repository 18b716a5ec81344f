"""Live progress lines: drawn on a terminal (a real pseudo-terminal here), never under cron."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

from conftest import FAST_CRAWL_SETTINGS, SITES, run_scrapy, window_args

from crawler.extensions.progress import (
    CLEAR_TO_END,
    ProgressBoard,
    format_progress_line,
    progress_wanted,
)
from crawler.run.summary import OutletSummary
from crawler.testing.fixture_server import FixtureServer

EXPECTED = json.loads((SITES / "espos" / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = window_args(EXPECTED)
PROGRESS_LINE = re.compile(r"espos +found +(\d+) +new +(\d+) +delivered +(\d+) +dropped +(\d+)")
TERMINAL_COLUMNS = 120


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_with_a_positive_interval(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    assert progress_wanted(FakeTerminal(), 3.0)
    assert not progress_wanted(io.StringIO(), 3.0)
    assert not progress_wanted(FakeTerminal(), 0)
    monkeypatch.setenv("TERM", "dumb")
    assert not progress_wanted(FakeTerminal(), 3.0)


def test_progress_line_shows_the_live_figures_and_fits_the_terminal():
    stats = {
        "crawler/discovered": 11,
        "crawler/articles_requested": 10,
        "item_scraped_count": 4,
        "crawler/skipped/outside_window": 1,
    }
    line = format_progress_line(OutletSummary.from_stats("espos", stats), 75.0, 200)
    assert PROGRESS_LINE.match(line).groups() == ("11", "10", "4", "1")
    assert line.endswith("1:15")
    assert len(format_progress_line(OutletSummary.from_stats("espos", stats), 0, 30)) == 29


def test_board_redraws_in_place_one_line_per_outlet():
    terminal = FakeTerminal()
    board = ProgressBoard(terminal, 1.0)
    board.rows = {"espos": lambda width: "espos 1", "tribun": lambda width: "tribun 2"}
    board.draw()
    board.draw()
    assert (
        terminal.getvalue() == "espos 1\ntribun 2\n\x1b[2A\r" + CLEAR_TO_END + "espos 1\ntribun 2\n"
    )


def _set_terminal_size(fd: int, columns: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))


def _read_all(fd: int, sink: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: every slave end is closed
            return
        if not chunk:
            return
        sink.append(chunk)


def test_crawl_on_a_terminal_draws_progress_lines(espos_server: FixtureServer, tmp_path: Path):
    settings = {
        **FAST_CRAWL_SETTINGS,
        "CRAWLER_PROGRESS_INTERVAL": "0.1",
        # Slow enough that the board is redrawn while articles are still coming in.
        "DOWNLOAD_DELAY": "0.1",
        "CRAWLER_HOST_MAP": json.dumps(espos_server.host_map()),
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "espos", *WINDOW]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", "TERM": "xterm"}
    master, slave = pty.openpty()
    _set_terminal_size(slave, TERMINAL_COLUMNS)
    chunks: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(master, chunks), daemon=True)
    reader.start()
    try:
        process = subprocess.run(
            command, cwd=tmp_path, env=env, stdin=slave, stdout=slave, stderr=slave, timeout=120
        )
    finally:
        os.close(slave)
        reader.join(timeout=30)
        os.close(master)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 0, screen[-3000:]
    drawn = [tuple(map(int, match)) for match in PROGRESS_LINE.findall(screen)]
    assert len(drawn) >= 2, screen[-3000:]
    assert drawn[0][0] <= drawn[-1][0]
    assert max(found for found, *_ in drawn) == 11
    assert CLEAR_TO_END in screen
    assert "Summary espos: found 11" in screen


def test_crawl_without_a_terminal_draws_no_progress(espos_server: FixtureServer, tmp_path: Path):
    result = run_scrapy(
        ["crawl", "espos", *WINDOW],
        cwd=tmp_path,
        host_map=espos_server.host_map(),
        settings={"CRAWLER_PROGRESS_INTERVAL": "0.1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not PROGRESS_LINE.search(result.stderr + result.stdout)
    assert "\x1b[" not in result.stderr + result.stdout
    assert "Summary espos: found 11" in result.stderr
