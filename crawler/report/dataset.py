"""Read every record of the report's sources: in range, once per article, every problem counted.

A broken line, a file that cannot be read or a record without url or published time is
skipped, logged with its place (``file:line``) and counted by reason; a record with other
fields missing still counts and its problems are counted too. Nothing here raises for bad
data: only a source that cannot be listed at all stops the report (ReportSourceError).
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.report.days import DayRange
from crawler.report.records import BadRecord, ReportRecord, parse_line
from crawler.report.sources import SourceFile, list_source

logger = logging.getLogger(__name__)

#: Skipped lines logged one by one; beyond this only the counts are logged.
MAX_LOGGED_PROBLEMS = 20
#: Places kept per reason, shown in the report's data section.
EXAMPLES_PER_REASON = 3


@dataclass
class ReadStats:
    """What reading the sources found, for the report's data section and the log."""

    files: int = 0
    files_skipped_old: int = 0
    lines: int = 0
    in_range: int = 0
    outside_range: int = 0
    duplicates: int = 0
    #: lines or files not used at all, by reason
    skipped: Counter[str] = field(default_factory=Counter)
    #: fields missing or not recognised in records that still count, by reason
    tolerated: Counter[str] = field(default_factory=Counter)
    #: a few ``file:line`` places per skipped reason
    examples: dict[str, list[str]] = field(default_factory=dict)

    def skip(self, reason: str, place: str, detail: str) -> None:
        self.skipped[reason] += 1
        self.examples.setdefault(reason, [])
        if len(self.examples[reason]) < EXAMPLES_PER_REASON:
            self.examples[reason].append(place)
        logged = sum(self.skipped.values())
        if logged <= MAX_LOGGED_PROBLEMS:
            logger.warning("%s: skipped (%s) %s", place, reason, detail)
        elif logged == MAX_LOGGED_PROBLEMS + 1:
            logger.warning("more skipped lines are counted but not logged one by one")


@dataclass
class Dataset:
    """The records of the range, one per article (the copy from the newest file wins)."""

    records: list[ReportRecord]
    stats: ReadStats
    sources: Sequence[str]


def read_dataset(
    sources: Sequence[str], days: DayRange, *, s3_options: Mapping[str, Any] | None = None
) -> Dataset:
    """Read the JSON Lines files of every source; ReportSourceError when one cannot be listed."""
    stats = ReadStats()
    files: list[SourceFile] = []
    for source in sources:
        listing = list_source(
            source, modified_since=days.oldest_useful_file(), s3_options=s3_options
        )
        files += listing.files
        stats.files_skipped_old += listing.skipped_old
    stats.files = len(files)
    by_hash: dict[str, ReportRecord] = {}
    for source_file in sorted(files, key=lambda f: (f.modified, f.name)):
        number = 0
        try:
            for number, line in enumerate(source_file.lines(), start=1):
                if line.strip():
                    _read_line(line, f"{source_file.name}:{number}", days, by_hash, stats)
        except (OSError, EOFError, zlib.error) as error:
            stats.skip("unreadable_file", f"{source_file.name}:{number + 1}", str(error))
    stats.in_range = len(by_hash)
    records = sorted(by_hash.values(), key=lambda r: r.published, reverse=True)
    return Dataset(records=records, stats=stats, sources=list(sources))


def _read_line(
    line: bytes, place: str, days: DayRange, by_hash: dict[str, ReportRecord], stats: ReadStats
) -> None:
    stats.lines += 1
    try:
        record, problems = parse_line(line)
    except BadRecord as bad:
        stats.skip(bad.reason, place, bad.detail)
        return
    stats.tolerated.update(problems)
    if record.published not in days:
        stats.outside_range += 1
        return
    if record.url_hash in by_hash:
        stats.duplicates += 1
    by_hash[record.url_hash] = record


def log_summary(stats: ReadStats) -> None:
    """One line of counts, and one per kind of problem, for the cron log."""
    logger.info(
        "read %d file(s) (%d older skipped), %d line(s): %d article(s) in range, %d outside, "
        "%d duplicate(s)",
        stats.files,
        stats.files_skipped_old,
        stats.lines,
        stats.in_range,
        stats.outside_range,
        stats.duplicates,
    )
    if stats.skipped:
        logger.warning("skipped: %s", _counts(stats.skipped))
    if stats.tolerated:
        logger.info(
            "fields missing or not recognised (articles kept): %s", _counts(stats.tolerated)
        )


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in counter.most_common())
