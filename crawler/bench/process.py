"""Run a measured subprocess: wall time, CPU time and peak RSS of that process alone.

``os.wait4`` returns the resource usage of exactly the process waited for, so the numbers
do not include the benchmark harness, the page server or anything else on the machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_STAT = r"'{name}': ([0-9.]+)"


@dataclass(frozen=True)
class ProcessResult:
    returncode: int
    wall_s: float
    #: User plus system CPU seconds of the process.
    cpu_s: float
    peak_rss_mb: float
    #: Its standard output and error, then its log file when it wrote one.
    log: str


def run_measured(
    command: list[str], *, cwd: Path, env: dict[str, str], log_file: Path | None, timeout: float
) -> ProcessResult:
    """Run a command to its end (killed after ``timeout`` seconds) and measure it."""
    started = time.perf_counter()
    with open(cwd / "stdout.log", "wb") as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)
        returncode, cpu_s, peak_rss_mb = wait_measured(process, timeout)
    wall = time.perf_counter() - started
    log = (cwd / "stdout.log").read_text(errors="replace")
    if log_file is not None and log_file.exists():
        log += log_file.read_text(errors="replace")
    return ProcessResult(
        returncode=returncode, wall_s=wall, cpu_s=cpu_s, peak_rss_mb=peak_rss_mb, log=log
    )


def wait_measured(process: subprocess.Popen, timeout: float) -> tuple[int, float, float]:
    """Wait for ``process`` (killed after ``timeout`` s): exit status, CPU s, peak RSS MB."""
    killer = threading.Timer(timeout, process.kill)
    killer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB.
    return process.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def stat_from_log(log: str, name: str) -> float | None:
    """A number from Scrapy's closing stats dump, e.g. ``item_scraped_count``."""
    found = re.findall(_STAT.format(name=re.escape(name)), log)
    return float(found[-1]) if found else None


def cpu_seconds_of(pid: int) -> float | None:
    """CPU seconds (user + system) a running process has used so far; None off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3 of stat(5), utime and stime fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
