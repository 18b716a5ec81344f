"""Score the enrichers on real news: the dev set in ``../shared/eval/news-dev.jsonl``.

Each record is the stored text of a real Central Java news page (menus, banners, "Baca juga"
lines and all) with the kab/kota it is about, the kab/kota it only names in passing, its
parties and its tone (definitions: ``../shared/eval/README.md``). The texts belong to their
publishers and stay in ``../shared``; nothing of them is copied into the project.

The text goes the way a crawled page goes: :func:`item_from_text` builds the
:class:`~crawler.items.ArticleItem` extraction would (title, dateline, cleaned body) and the
configured enrichers (``CRAWLER_ENRICHERS``) run on it through
:class:`~crawler.pipelines.enrich.EnrichPipeline`, so the figures are what users get.

Scoring follows the set's README: region recall on ``gold_kabkota``; region precision against
``gold_kabkota`` plus ``gold_kabkota_passing`` (a passing mention is not an error either way);
party names compared after dropping a leading "Partai " and spelling PDI Perjuangan "PDIP";
sentiment as accuracy and macro-F1 over positif / negatif / netral.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.utils.misc import load_object

from crawler import settings
from crawler.enrichment.sentiment import NEUTRAL
from crawler.evaluation import Scores
from crawler.evaluation.sentiment_eval import accuracy, label_scores, macro_f1
from crawler.extraction.cleaning import clean_paragraphs
from crawler.extraction.dateline import find_dateline
from crawler.items import ArticleItem
from crawler.pipelines.enrich import EnrichPipeline

#: ../shared beside the repository root.
SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
#: The dev set inside ../shared.
DEV_SET = Path("eval") / "news-dev.jsonl"
#: The dev set's label for "no tone"; the enricher writes ``neutral``.
NETRAL = "netral"
#: Party spellings that the dev set and the tagger write differently.
PARTY_SPELLINGS = {"PDI Perjuangan": "PDIP", "PDI-P": "PDIP", "PDI-Perjuangan": "PDIP"}
#: Lines of a stored page searched for its headline.
TITLE_SEARCH_LINES = 12
#: Share of the URL slug's words a line must hold to be taken as the headline.
TITLE_MIN_SLUG_SHARE = 0.6
#: Longest line taken as a headline.
TITLE_MAX_CHARS = 180
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class DevRecord:
    """One labelled real news excerpt."""

    record_id: str
    url: str
    outlet: str
    text: str
    gold_kabkota: frozenset[str]
    passing_kabkota: frozenset[str]
    gold_parties: frozenset[str]
    sentiment: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DevRecord:
        return cls(
            record_id=data["id"],
            url=data["url"],
            outlet=data["outlet"],
            text=data["text"],
            gold_kabkota=frozenset(data["gold_kabkota"]),
            passing_kabkota=frozenset(data["gold_kabkota_passing"]),
            gold_parties=frozenset(normalise_party(p) for p in data["gold_parties"]),
            sentiment=NEUTRAL if data["sentiment"] == NETRAL else data["sentiment"],
        )


def load_dev_set(path: Path) -> list[DevRecord]:
    """The records of the dev set file."""
    with path.open(encoding="utf-8") as fh:
        return [DevRecord.from_json(json.loads(line)) for line in fh if line.strip()]


def normalise_party(name: str) -> str:
    """The README's party normalisation: no leading "Partai ", PDI Perjuangan as PDIP."""
    name = " ".join(name.split()).removeprefix("Partai ")
    return PARTY_SPELLINGS.get(name, name)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def slug_words(url: str) -> list[str]:
    """Words of the URL's longest path segment, without numbers: the headline as a slug."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if not segments:
        return []
    slug = max(segments, key=len).rsplit(".", 1)[0]
    return [w for w in _words(slug.replace("-", " ")) if not w.isdigit()]


def find_title(lines: Sequence[str], url: str) -> int | None:
    """Index of the line that is the page's headline: the one holding most of the slug.

    A headline is short, does not end a sentence with a full stop and opens with no
    dateline; the lead paragraph often repeats the headline's words but is none of these.
    """
    wanted = slug_words(url)
    if len(wanted) < 3:
        return None
    best, best_share = None, TITLE_MIN_SLUG_SHARE
    for index, line in enumerate(lines[:TITLE_SEARCH_LINES]):
        if len(line) > TITLE_MAX_CHARS or line.endswith(".") or find_dateline(line):
            continue
        present = set(_words(line))
        share = sum(w in present for w in wanted) / len(wanted)
        if share > best_share:
            best, best_share = index, share
    return best


def item_from_text(record: DevRecord) -> ArticleItem:
    """The item a crawl of the page would give: headline, dateline and cleaned body.

    The headline is the line that matches the URL slug (lines above it are the site's menus
    and banners, which extraction leaves out); without one the whole text is body. The
    dateline is read from the first body paragraph, as extraction reads it.
    """
    lines = [" ".join(line.split()) for line in record.text.splitlines()]
    lines = [line for line in lines if line]
    title_index = find_title(lines, record.url)
    title = lines[title_index] if title_index is not None else None
    rest = lines[title_index + 1 :] if title_index is not None else lines
    body = clean_paragraphs(line for line in rest if line != title)
    return ArticleItem(
        url=record.url,
        outlet="dev",
        outlet_name=record.outlet,
        title=title,
        dateline=find_dateline(body[0]) if body else None,
        body=body,
    )


class _Counts:
    """The stats object EnrichPipeline reports enricher failures to."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def enrich_pipeline(enricher_paths: Iterable[str] = settings.CRAWLER_ENRICHERS) -> EnrichPipeline:
    """The item pipeline's enrichment step, with the enrichers a crawl configures."""
    return EnrichPipeline([load_object(path)() for path in enricher_paths], _Counts())


@dataclass
class DevError:
    """A record where a tagger missed a label or added a wrong one."""

    record_id: str
    task: str
    missed: list[str]
    wrong: list[str]


@dataclass
class DevReport:
    """Everything the evaluation command prints about the dev set."""

    records: int = 0
    regions: Scores = field(default_factory=Scores)
    parties: Scores = field(default_factory=Scores)
    #: tone labels in the enricher's words (positif, negatif, neutral), gold and predicted.
    sentiment_gold: list[str] = field(default_factory=list)
    sentiment_predicted: list[str] = field(default_factory=list)
    errors: list[DevError] = field(default_factory=list)
    #: CPU milliseconds per article of each enricher, one value per timing round.
    enricher_ms: dict[str, list[float]] = field(default_factory=dict)
    enricher_failures: dict[str, int] = field(default_factory=dict)

    @property
    def sentiment_accuracy(self) -> float:
        return accuracy(self.sentiment_gold, self.sentiment_predicted)

    @property
    def sentiment_macro_f1(self) -> float:
        return macro_f1(self.sentiment_gold, self.sentiment_predicted)

    def sentiment_per_label(self) -> dict[str, dict[str, float]]:
        return label_scores(self.sentiment_gold, self.sentiment_predicted)


def _add(scores: Scores, gold: set[str], allowed: set[str], predicted: set[str]) -> Scores:
    """*scores* plus one record: hits on *gold*, misses of it, predictions outside *allowed*."""
    return Scores(
        scores.true_positives + len(predicted & gold),
        scores.false_positives + len(predicted - allowed),
        scores.false_negatives + len(gold - predicted),
    )


#: Timing rounds over the whole set; the command prints their median and spread.
TIMING_ROUNDS = 5


def time_enrichers(
    pipeline: EnrichPipeline, records: Sequence[DevRecord], rounds: int = TIMING_ROUNDS
) -> dict[str, list[float]]:
    """CPU milliseconds per article of each enricher, over fresh items, per round."""
    timings: dict[str, list[float]] = {type(e).__name__: [] for e in pipeline.enrichers}
    for _ in range(rounds):
        items = [item_from_text(record) for record in records]
        for enricher in pipeline.enrichers:
            started = time.process_time()
            for item in items:
                enricher.enrich(item)
            elapsed = time.process_time() - started
            timings[type(enricher).__name__].append(1000 * elapsed / max(1, len(items)))
    return timings


def evaluate_dev(
    records: Sequence[DevRecord],
    pipeline: EnrichPipeline | None = None,
    timing_rounds: int = TIMING_ROUNDS,
) -> DevReport:
    """Run every record through the enrichment pipeline and score it against its labels."""
    pipeline = pipeline or enrich_pipeline()
    report = DevReport(records=len(records))
    items = [item_from_text(record) for record in records]
    for item in items:
        pipeline.process_item(item)
    report.enricher_failures = dict(getattr(pipeline.stats, "values", {}))
    if timing_rounds:
        report.enricher_ms = time_enrichers(pipeline, records, timing_rounds)
    for record, item in zip(records, items, strict=True):
        regions = {region.name for region in item.kab_kota}
        allowed = set(record.gold_kabkota | record.passing_kabkota)
        report.regions = _add(report.regions, set(record.gold_kabkota), allowed, regions)
        missed, wrong = sorted(record.gold_kabkota - regions), sorted(regions - allowed)
        if missed or wrong:
            report.errors.append(DevError(record.record_id, "regions", missed, wrong))
        parties = {normalise_party(name) for name in item.parties}
        gold_parties = set(record.gold_parties)
        report.parties = _add(report.parties, gold_parties, gold_parties, parties)
        missed, wrong = sorted(gold_parties - parties), sorted(parties - gold_parties)
        if missed or wrong:
            report.errors.append(DevError(record.record_id, "parties", missed, wrong))
        label = item.sentiment.label
        report.sentiment_gold.append(record.sentiment)
        report.sentiment_predicted.append(label)
        if label != record.sentiment:
            report.errors.append(
                DevError(record.record_id, "sentiment", [record.sentiment], [label])
            )
    return report
