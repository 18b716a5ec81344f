"""``python -m crawler.report.screenshot [PNG]``: the README's pictures of the report.

Writes the constructed sample records (crawler.report.sample) to a temporary folder, makes
the report of their two days as the 06:00 cron run would (a previous report having seen the
first day's early hours), and photographs it in Debian's Chromium: the top of the page in a
desktop window (default docs/report.png), ``--phone`` on a phone's screen, ``--full-page``
all of it. The README's pictures are made by::

    python -m crawler.report.screenshot docs/report.png
    python -m crawler.report.screenshot --phone docs/report-phone.png
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from scrapy.settings import Settings

from crawler.report.browser import DESKTOP, PHONE, save_screenshot
from crawler.report.cli import add_arguments, run_report
from crawler.report.sample import earlier_records, sample_records
from crawler.report.state import save_seen
from crawler.utils.timezones import WIB

FIRST_DAY = date(2025, 7, 2)
DEFAULT_PNG = Path("docs/report.png")
#: Tall enough for the map, the kab/kota bars and the sentiment charts.
DESKTOP_PICTURE_HEIGHT = 1400


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.report.screenshot")
    parser.add_argument("png", nargs="?", type=Path, default=DEFAULT_PNG)
    parser.add_argument("--lang", default="id")
    parser.add_argument("--phone", action="store_true", help="a phone's screen, not a desktop's")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not its top")
    args = parser.parse_args(argv)

    previous = datetime.combine(FIRST_DAY, time(6), tzinfo=WIB)
    now = previous + timedelta(days=1)
    records = sample_records(FIRST_DAY)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        feed = work / "output" / "sample.jsonl"
        feed.parent.mkdir()
        feed.write_text(
            "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
            encoding="utf-8",
        )
        state = work / "report-seen.json"
        save_seen(state, previous, earlier_records(records, previous))
        report = work / "report.html"
        options = argparse.ArgumentParser()
        add_arguments(options)
        opts = options.parse_args(
            [str(feed.parent), "-o", str(report), "--state", str(state), "--lang", args.lang]
        )
        status = run_report(opts, Settings(), now=now)
        if status:
            return status
        viewport = PHONE if args.phone else {**DESKTOP, "height": DESKTOP_PICTURE_HEIGHT}
        save_screenshot(report, args.png, viewport=viewport, full_page=args.full_page)
    print(args.png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
