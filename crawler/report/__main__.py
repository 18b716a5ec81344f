"""``python -m crawler.report``: the daily report without the ``scrapy`` command."""

import sys

from crawler.report.cli import main

sys.exit(main())
