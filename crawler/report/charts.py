"""Geometry of the report's charts: the tile map, bar charts and stacked sentiment bars.

The page draws them as inline SVG (page.html.j2) from these plain numbers, so the page needs no
script, font or file from anywhere, and the geometry is tested without a browser. Sizes are in
SVG user units; a chart is about as wide as a phone (360), so its text stays legible when the
page shrinks it to the screen, and the page caps its width on large screens. Colours are CSS
classes (report.css): ``c0``..``c5`` for counts, ``s-<label>`` for sentiment.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from crawler.report.tiles import Tile

#: Colour classes of counts above zero on the tile map.
COUNT_CLASSES = 5

TILE_SIZE = 40
TILE_GAP = 3

CHART_WIDTH = 360
LABEL_WIDTH = 124
VALUE_WIDTH = 40
ROW_HEIGHT = 22
BAR_HEIGHT = 15
#: Labels longer than this are cut with an ellipsis (the full text is in the row's tooltip).
MAX_LABEL_CHARS = 17
#: Segments narrower than this carry no number inside.
MIN_LABELLED_SEGMENT = 18


@dataclass(frozen=True)
class CountClass:
    """A colour class of the tile map and the counts it stands for."""

    index: int
    low: int
    high: int


def count_classes(max_count: int) -> list[CountClass]:
    """Up to five equal-width classes of 1..max_count (one per count when max_count <= 5)."""
    steps = min(COUNT_CLASSES, max_count)
    return [
        CountClass(
            k, math.floor((k - 1) * max_count / steps) + 1, math.floor(k * max_count / steps)
        )
        for k in range(1, steps + 1)
    ]


def class_of(count: int, classes: Sequence[CountClass]) -> int:
    return next((c.index for c in classes if c.low <= count <= c.high), 0)


@dataclass(frozen=True)
class MapTile:
    tile: Tile
    x: int
    y: int
    count: int
    css_class: int
    href: str


@dataclass(frozen=True)
class TileMap:
    width: int
    height: int
    size: int
    tiles: list[MapTile]
    classes: list[CountClass]


def tile_map(counts: dict[str, int], tiles: Sequence[Tile], anchors: dict[str, str]) -> TileMap:
    """One square per kab/kota at its grid cell, coloured by its count, linking to its stories."""
    classes = count_classes(max(counts.values(), default=0))
    step = TILE_SIZE + TILE_GAP
    placed = [
        MapTile(
            tile=tile,
            x=tile.col * step,
            y=tile.row * step,
            count=counts.get(tile.code, 0),
            css_class=class_of(counts.get(tile.code, 0), classes),
            href=f"#{anchors[tile.code]}",
        )
        for tile in tiles
    ]
    columns = max(tile.col for tile in tiles) + 1
    rows = max(tile.row for tile in tiles) + 1
    return TileMap(columns * step - TILE_GAP, rows * step - TILE_GAP, TILE_SIZE, placed, classes)


def short_label(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    full_label: str
    value: int
    y: int
    width: float
    href: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_x: int
    bar_height: int
    value_x: int
    bars: list[Bar]


def _bar_area() -> int:
    return CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH


def bar_chart(rows: Sequence[tuple[str, str, int, str]]) -> BarChart:
    """Horizontal bars of (key, label, value, link) rows, in the order given."""
    top = max((value for _, _, value, _ in rows), default=0) or 1
    bars = [
        Bar(
            key=key,
            label=short_label(label),
            full_label=label,
            value=value,
            y=n * ROW_HEIGHT,
            width=round(_bar_area() * value / top, 1),
            href=href,
        )
        for n, (key, label, value, href) in enumerate(rows)
    ]
    return BarChart(
        CHART_WIDTH,
        len(rows) * ROW_HEIGHT,
        LABEL_WIDTH,
        BAR_HEIGHT,
        LABEL_WIDTH + _bar_area() + 4,
        bars,
    )


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    x: float
    width: float
    show_count: bool


@dataclass(frozen=True)
class StackedBar:
    label: str
    full_label: str
    total: int
    y: int
    segments: list[Segment]


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    bar_x: int
    bar_height: int
    value_x: int
    bars: list[StackedBar]


def stacked_chart(rows: Sequence[tuple[str, Counter[str]]], order: Sequence[str]) -> StackedChart:
    """One bar per row, its segments in ``order``, all bars on one scale (the largest total)."""
    top = max((counts.total() for _, counts in rows), default=0) or 1
    bars = []
    for n, (label, counts) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for name in order:
            if counts[name]:
                width = round(_bar_area() * counts[name] / top, 1)
                segments.append(
                    Segment(name, counts[name], x, width, width >= MIN_LABELLED_SEGMENT)
                )
                x += width
        bars.append(StackedBar(short_label(label), label, counts.total(), n * ROW_HEIGHT, segments))
    return StackedChart(
        CHART_WIDTH,
        len(rows) * ROW_HEIGHT,
        LABEL_WIDTH,
        BAR_HEIGHT,
        LABEL_WIDTH + _bar_area() + 4,
        bars,
    )
