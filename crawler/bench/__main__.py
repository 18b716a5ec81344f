"""``python -m crawler.bench``: see ``crawler.bench.run``."""

from crawler.bench.run import main

main()
