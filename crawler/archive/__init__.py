"""Web archive: WARC capture of fetched responses, and replay of such archives.

Capture (``crawler.archive.capture``) keeps what an outlet served, as proof of publication
and as raw material to re-extract after a parser fix. Replay (``crawler.archive.replay``)
serves a crawl from those files instead of the network, so the same spiders, middlewares and
pipelines run offline on old crawls.

Both are downloader middlewares listed in the project settings and inactive until their
setting is given, so warcio (the ``warc`` extra) is imported only when one of them is in use.
"""

from __future__ import annotations

from types import ModuleType

#: ``CRAWLER_WARC_CAPTURE`` values: article pages only, or every response (discovery too).
CAPTURE_ARTICLES = "articles"
CAPTURE_ALL = "all"
CAPTURE_MODES = (CAPTURE_ARTICLES, CAPTURE_ALL)

#: The spider callback whose requests are article pages (``crawler.spiders.base.NewsSpider``).
ARTICLE_CALLBACK = "parse_article"

#: Response flag of a response served from an archive (never captured again).
REPLAYED_FLAG = "warc-replay"

#: File names that are WARC files when a directory is given to replay.
WARC_SUFFIXES = (".warc", ".warc.gz")


def require_warcio() -> ModuleType:
    """Import warcio, or explain which extra to install: capture and replay need it."""
    try:
        import warcio
    except ImportError as exc:
        raise RuntimeError(
            "WARC capture and replay need warcio: pip install 'jateng-news-crawler[warc]'"
        ) from exc
    return warcio
