"""Item pipelines: each behaviour, its stats keys and its log lines."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.pipelines import (
    DROP_REASONS,
    DeliveredStorePipeline,
    DuplicateUrlPipeline,
    EnrichPipeline,
    NormalizePipeline,
    NullDeliveredStore,
    ValidatePipeline,
)
from crawler.pipelines.normalize import collapse_whitespace
from crawler.utils.timezones import WIB
from crawler.utils.urls import canonicalize_url, url_hash

ARTICLE_URL = "https://solopos.espos.id/slug-2210681"


def make_crawler(**settings: Any) -> Crawler:
    return get_crawler(settings_dict=settings)


def make_item(**overrides: Any) -> ArticleItem:
    fields: dict[str, Any] = {
        "url": ARTICLE_URL,
        "url_hash": url_hash(ARTICLE_URL),
        "outlet": "espos",
        "title": "Judul berita",
        "published": datetime(2025, 7, 3, 9, 30, tzinfo=WIB),
        "body": ["Paragraf pertama."],
    }
    fields.update(overrides)
    return ArticleItem(**fields)


def stat(crawler: Crawler, key: str) -> Any:
    assert crawler.stats is not None
    return crawler.stats.get_value(key)


# NormalizePipeline


def test_normalize_collapses_whitespace_and_nbsp_without_inventing_text() -> None:
    item = make_item(
        title="  Banjir\u00a0rob \n di   Semarang ",
        section="\tJateng ",
        dateline=" SEMARANG\u00a0\u2014 ",
        body=["  Satu\n\n dua\u200b ", " \u00a0 ", "", "Tiga."],
    )
    NormalizePipeline().process_item(item)
    assert item.title == "Banjir rob di Semarang"
    assert item.section == "Jateng"
    assert item.dateline == "SEMARANG \u2014"
    assert item.body == ["Satu dua", "Tiga."]


#: Plain and other spaces, line breaks, invisible characters, a separator control, letters.
SPACES_AND_LETTERS = " a\t\n\xa0\u2009\u3000\u200b\u2060\ufeff\x1cé"


@given(st.text(alphabet=st.sampled_from(SPACES_AND_LETTERS), max_size=12))
@example(" a")
@example("a\u200b b")
def test_collapsing_whitespace_is_split_and_join_without_invisible_characters(text: str) -> None:
    """The shortcut for text already collapsed gives what the whole work gives."""
    invisible = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
    assert collapse_whitespace(text) == " ".join(text.translate(invisible).split())


def test_normalize_blank_title_becomes_none() -> None:
    item = make_item(title=" \u00a0 ")
    NormalizePipeline().process_item(item)
    assert item.title is None


def test_normalize_drops_empty_and_duplicate_authors_and_tags_keeping_order() -> None:
    item = make_item(
        authors=["Budi  Santoso", " ", "Ayu", "budi santoso", "Ayu"],
        tags=["Pilkada", "", "Semarang", "pilkada", " Semarang "],
    )
    NormalizePipeline().process_item(item)
    assert item.authors == ["Budi Santoso", "Ayu"]
    assert item.tags == ["Pilkada", "Semarang"]


def test_normalize_converts_aware_times_to_wib() -> None:
    published = datetime(2025, 7, 3, 2, 30, tzinfo=UTC)
    modified = datetime(2025, 7, 3, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    item = make_item(published=published, modified=modified)
    NormalizePipeline().process_item(item)
    assert item.published == published
    assert item.published.tzinfo is WIB
    assert item.published.hour == 9
    assert item.modified is not None
    assert item.modified.tzinfo is WIB
    assert item.modified.hour == 9


def test_normalize_leaves_naive_time_naive() -> None:
    item = make_item(published=datetime(2025, 7, 3, 9, 30))
    NormalizePipeline().process_item(item)
    assert item.published == datetime(2025, 7, 3, 9, 30)
    assert item.published.tzinfo is None


def test_normalize_sets_crawled_at_in_wib_when_missing() -> None:
    item = make_item()
    before = datetime.now(WIB)
    NormalizePipeline().process_item(item)
    assert item.crawled_at is not None
    assert item.crawled_at.tzinfo is WIB
    assert before <= item.crawled_at <= datetime.now(WIB)


def test_normalize_keeps_given_crawled_at_instant() -> None:
    crawled = datetime(2025, 7, 3, 1, 0, tzinfo=UTC)
    item = make_item(crawled_at=crawled)
    NormalizePipeline().process_item(item)
    assert item.crawled_at == crawled
    assert item.crawled_at.tzinfo is WIB


def test_normalize_canonicalizes_url_and_computes_missing_hash() -> None:
    item = make_item(url=f"{ARTICLE_URL}/amp?utm_source=fb#top", url_hash="")
    NormalizePipeline().process_item(item)
    assert item.url == ARTICLE_URL
    assert item.url_hash == url_hash(ARTICLE_URL)


def test_normalize_keeps_given_hash() -> None:
    item = make_item(url_hash="given")
    NormalizePipeline().process_item(item)
    assert item.url_hash == "given"


def test_normalize_works_on_plain_dicts() -> None:
    item = {"url": "http://SOLOPOS.espos.id/slug-2210681?fbclid=1", "title": " A\u00a0 B "}
    NormalizePipeline().process_item(item)
    assert item["url"] == ARTICLE_URL
    assert item["url_hash"] == url_hash(ARTICLE_URL)
    assert item["title"] == "A B"
    assert item["crawled_at"].tzinfo is WIB


# ValidatePipeline


def test_validate_passes_complete_item() -> None:
    crawler = make_crawler()
    pipeline = build_from_crawler(ValidatePipeline, crawler)
    item = make_item()
    assert pipeline.process_item(item) is item


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"url": ""}, "missing_url"),
        ({"title": None}, "missing_title"),
        ({"title": ""}, "missing_title"),
        ({"published": None}, "missing_published"),
        ({"published": "2025-07-03"}, "missing_published"),
        ({"published": datetime(2025, 7, 3, 9, 30)}, "naive_published"),
        ({"body": []}, "missing_body"),
        ({"body": [""]}, "missing_body"),
    ],
)
def test_validate_drops_invalid_item_with_stats_and_warning(
    overrides: dict[str, Any], reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    crawler = make_crawler()
    pipeline = build_from_crawler(ValidatePipeline, crawler)
    item = make_item(**overrides)
    with caplog.at_level(logging.WARNING), pytest.raises(DropItem) as dropped:
        pipeline.process_item(item)
    assert str(dropped.value) == reason.replace("_", " ")
    assert stat(crawler, f"crawler/dropped/{reason}") == 1
    assert reason in DROP_REASONS
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert reason in warnings[0].getMessage()
    if item.url:
        assert item.url in warnings[0].getMessage()


def test_validate_missing_published_message() -> None:
    pipeline = build_from_crawler(ValidatePipeline, make_crawler())
    with pytest.raises(DropItem, match=r"^missing published$"):
        pipeline.process_item(make_item(published=None))


def test_validate_counts_each_drop() -> None:
    crawler = make_crawler()
    pipeline = build_from_crawler(ValidatePipeline, crawler)
    for _ in range(3):
        with pytest.raises(DropItem):
            pipeline.process_item(make_item(title=None))
    assert stat(crawler, "crawler/dropped/missing_title") == 3


def test_validate_accepts_dicts() -> None:
    pipeline = build_from_crawler(ValidatePipeline, make_crawler())
    item = {"url": ARTICLE_URL, "title": "t", "published": datetime.now(WIB), "body": ["x"]}
    assert pipeline.process_item(item) is item
    with pytest.raises(DropItem, match="missing body"):
        pipeline.process_item({**item, "body": None})


# DuplicateUrlPipeline


def test_dedup_drops_second_copy_of_same_hash(caplog: pytest.LogCaptureFixture) -> None:
    crawler = make_crawler()
    pipeline = build_from_crawler(DuplicateUrlPipeline, crawler)
    first = make_item()
    other = make_item(url="https://solopos.espos.id/lain-1", url_hash=url_hash("lain"))
    assert pipeline.process_item(first) is first
    assert pipeline.process_item(other) is other
    with caplog.at_level(logging.INFO), pytest.raises(DropItem, match="duplicate in run"):
        pipeline.process_item(make_item())
    assert stat(crawler, "crawler/dropped/duplicate_in_run") == 1
    assert any(
        ARTICLE_URL in r.getMessage() and "duplicate_in_run" in r.getMessage()
        for r in caplog.records
    )


def test_dedup_after_normalize_merges_amp_twin() -> None:
    crawler = make_crawler()
    normalize = NormalizePipeline()
    dedup = build_from_crawler(DuplicateUrlPipeline, crawler)
    dedup.process_item(normalize.process_item(make_item(url=ARTICLE_URL, url_hash="")))
    twin = normalize.process_item(make_item(url=f"{ARTICLE_URL}/amp?utm_source=x", url_hash=""))
    with pytest.raises(DropItem):
        dedup.process_item(twin)


def test_dedup_is_per_pipeline_instance() -> None:
    pipeline = build_from_crawler(DuplicateUrlPipeline, make_crawler())
    pipeline.process_item(make_item())
    fresh = build_from_crawler(DuplicateUrlPipeline, make_crawler())
    item = make_item()
    assert fresh.process_item(item) is item


# EnrichPipeline


class TagRegion:
    """Constructed test enricher without from_crawler."""

    def enrich(self, item: ArticleItem) -> None:
        item.parties.append("PDIP")


class Explodes:
    """Constructed test enricher that always fails."""

    def enrich(self, item: ArticleItem) -> None:
        raise ValueError("boom")


class NeedsCrawler:
    """Constructed test enricher built through from_crawler."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NeedsCrawler:
        return cls(crawler.settings.get("TEST_MARKER"))

    def enrich(self, item: ArticleItem) -> None:
        item.tags.append(self.marker)


def test_enrich_without_setting_is_a_no_op() -> None:
    pipeline = build_from_crawler(EnrichPipeline, make_crawler())
    item = make_item()
    assert pipeline.enrichers == []
    assert pipeline.process_item(item) == make_item()


def test_enrich_runs_enrichers_in_order_with_either_constructor() -> None:
    crawler = make_crawler(
        CRAWLER_ENRICHERS=[TagRegion, f"{__name__}.NeedsCrawler"],
        TEST_MARKER="dari-crawler",
    )
    pipeline = build_from_crawler(EnrichPipeline, crawler)
    item = make_item()
    assert pipeline.process_item(item) is item
    assert item.parties == ["PDIP"]
    assert item.tags == ["dari-crawler"]


def test_enrich_failure_is_logged_counted_and_item_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = make_crawler(CRAWLER_ENRICHERS=[Explodes, TagRegion])
    pipeline = build_from_crawler(EnrichPipeline, crawler)
    item = make_item()
    with caplog.at_level(logging.ERROR):
        assert pipeline.process_item(item) is item
    assert item.parties == ["PDIP"]
    assert stat(crawler, "crawler/enrich_errors/Explodes") == 1
    assert stat(crawler, "crawler/enrich_errors/TagRegion") is None
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert ARTICLE_URL in errors[0].getMessage()
    assert "Explodes" in errors[0].getMessage()
    assert errors[0].exc_info is not None


# DeliveredStorePipeline


class RecordingStore:
    """Constructed in-memory store that knows one hash and records calls."""

    def __init__(self) -> None:
        self.known = {url_hash("https://solopos.espos.id/lama-1")}
        self.marked: list[tuple[str, str]] = []
        self.closed = False

    def seen(self, url_hash: str) -> bool:
        return url_hash in self.known

    def mark_delivered(self, hashes: Iterable[tuple[str, str]]) -> None:
        self.marked.extend(hashes)

    def close(self) -> None:
        self.closed = True


def test_store_defaults_to_null_store() -> None:
    pipeline = build_from_crawler(DeliveredStorePipeline, make_crawler())
    assert isinstance(pipeline.store, NullDeliveredStore)
    item = make_item()
    assert pipeline.process_item(item) is item


def test_null_store_remembers_nothing() -> None:
    store = NullDeliveredStore()
    store.mark_delivered([(url_hash(ARTICLE_URL), "espos")])
    assert store.seen(url_hash(ARTICLE_URL)) is False


def test_store_drops_already_delivered(caplog: pytest.LogCaptureFixture) -> None:
    crawler = make_crawler(CRAWLER_DELIVERED_STORE=f"{__name__}.RecordingStore")
    pipeline = build_from_crawler(DeliveredStorePipeline, crawler)
    old_url = "https://solopos.espos.id/lama-1"
    with caplog.at_level(logging.DEBUG), pytest.raises(DropItem, match="already delivered"):
        pipeline.process_item(make_item(url=old_url, url_hash=url_hash(old_url)))
    assert stat(crawler, "crawler/dropped/already_delivered") == 1
    assert any(old_url in r.getMessage() for r in caplog.records)
    new = make_item()
    assert pipeline.process_item(new) is new


def test_store_pipeline_never_marks_delivered_itself() -> None:
    """Marking waits for the feed storage (crawler.extensions.delivery, tests/test_delivery.py)."""
    crawler = make_crawler(CRAWLER_DELIVERED_STORE=RecordingStore)
    pipeline = build_from_crawler(DeliveredStorePipeline, crawler)
    delivered = make_item()
    pipeline.process_item(delivered)
    crawler.signals.send_catch_log(signals.item_scraped, item=delivered, response=None, spider=None)
    assert pipeline.store.marked == []


def test_refresh_lets_already_delivered_articles_through() -> None:
    crawler = make_crawler(CRAWLER_DELIVERED_STORE=RecordingStore)
    crawler.spider = SimpleNamespace(refresh=True)
    pipeline = build_from_crawler(DeliveredStorePipeline, crawler)
    old_url = "https://solopos.espos.id/lama-1"
    old = make_item(url=old_url, url_hash=url_hash(old_url))
    assert pipeline.process_item(old) is old
    assert stat(crawler, "crawler/dropped/already_delivered") is None


def test_drop_reasons_cover_every_pipeline() -> None:
    assert set(DROP_REASONS) == {
        "missing_url",
        "missing_title",
        "missing_published",
        "naive_published",
        "missing_body",
        "duplicate_in_run",
        "already_delivered",
    }
    assert len(DROP_REASONS) == len(set(DROP_REASONS))


def test_full_chain_delivers_one_clean_item() -> None:
    crawler = make_crawler(CRAWLER_ENRICHERS=[TagRegion])
    chain = [
        NormalizePipeline(),
        build_from_crawler(ValidatePipeline, crawler),
        build_from_crawler(DuplicateUrlPipeline, crawler),
        build_from_crawler(DeliveredStorePipeline, crawler),
        build_from_crawler(EnrichPipeline, crawler),
    ]
    raw = [
        make_item(url=f"{ARTICLE_URL}?utm_source=wa", url_hash="", title=" Judul\u00a0berita "),
        make_item(url=f"{ARTICLE_URL}/amp", url_hash=""),
        make_item(url="https://solopos.espos.id/kosong-2", url_hash="", body=[" "]),
    ]
    delivered = []
    for item in raw:
        try:
            for pipeline in chain:
                item = pipeline.process_item(item)
        except DropItem:
            continue
        delivered.append(item)
    assert [item.url for item in delivered] == [canonicalize_url(ARTICLE_URL)]
    assert delivered[0].title == "Judul berita"
    assert delivered[0].parties == ["PDIP"]
    assert stat(crawler, "crawler/dropped/duplicate_in_run") == 1
    assert stat(crawler, "crawler/dropped/missing_body") == 1
