"""The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.

Jinja2 renders ``templates/page.html.j2`` with autoescaping on, so every title, outlet name
and URL from the records reaches the page as text, never as markup; links are only made of
http(s) URLs (crawler.report.records). The page's Content-Security-Policy allows nothing but
its own stylesheet (by hash): even a text that slipped through could load or run nothing.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from crawler.report.charts import bar_chart, stacked_chart, tile_map
from crawler.report.labels import Labels
from crawler.report.records import UNKNOWN_SENTIMENT
from crawler.report.summary import SENTIMENT_ORDER, Summary
from crawler.report.tiles import load_tiles

TEMPLATE = "page.html.j2"
STYLESHEET = "report.css"


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("crawler.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


@cache
def _stylesheet() -> tuple[str, str]:
    """The CSS and its CSP source expression (``sha256-...``)."""
    css = files("crawler.report").joinpath("templates", STYLESHEET).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"sha256-{digest}"


def render_page(summary: Summary, labels: Labels, *, new_limit: int) -> str:
    """The page for ``summary`` in the language of ``labels``."""
    tiles = load_tiles()
    ranked = summary.ranked_regions
    anchors = {region.tile.code: region.anchor for region in summary.regions if region.tile}
    counts = {region.tile.code: region.count for region in summary.regions if region.tile}
    region_rows = [
        (r.tile.code, r.tile.label, r.count, f"#{r.anchor}") for r in ranked if r.tile is not None
    ]
    party_rows = [(name, name, count, "") for name, count in summary.parties]
    days = [(labels.day(day), counts) for day, counts in summary.sentiment_by_day]
    css, style_hash = _stylesheet()
    top_regions = ranked + ([summary.untagged] if summary.untagged.count else [])
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            lang=labels.language,
            t=labels,
            summary=summary,
            period=labels.get(
                "range",
                since=labels.short_day(summary.days.since),
                until=labels.short_day(summary.days.until),
            ),
            css=Markup(css),
            style_hash=style_hash,
            map=tile_map(counts, tiles, anchors),
            region_bars=bar_chart(region_rows),
            party_bars=bar_chart(party_rows),
            outlet_chart=stacked_chart(summary.sentiment_by_outlet, SENTIMENT_ORDER),
            day_chart=stacked_chart(days, SENTIMENT_ORDER),
            sentiment_order=SENTIMENT_ORDER,
            has_unknown_sentiment=any(r.sentiment == UNKNOWN_SENTIMENT for r in summary.records),
            tile_labels={tile.code: tile.label for tile in tiles},
            top_regions=top_regions,
            new_hashes=summary.new.url_hashes if not summary.new.first_report else frozenset(),
            new_shown=summary.new.articles[:new_limit],
            new_more=max(0, len(summary.new.articles) - new_limit),
        )
    )
