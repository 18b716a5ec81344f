"""The collector is off while a page is read and back as it was afterwards, whatever happens;
a page read leaves nothing of its tree for the collector to find; a crawl tunes the collector
and puts it back when it stops."""

from __future__ import annotations

import gc

import pytest
from conftest import SITES
from lxml import etree
from scrapy.exceptions import NotConfigured
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.test import get_crawler

from crawler.extensions.garbage_collection import GarbageCollectionTuning
from crawler.extraction.layouts import read_article
from crawler.outlets.registry import project_settings
from crawler.utils.garbage_collection import garbage_collection_paused

ESPOS_ARTICLE = "pemkot-semarang-tambah-tiga-pompa-air-untuk-atasi-rob-di-kaligawe-2201009.html"


def test_the_collector_is_off_inside_and_on_again_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), garbage_collection_paused():
        assert not gc.isenabled()
        raise ValueError("a page that breaks extraction")
    assert gc.isenabled()


def test_a_collector_the_user_turned_off_stays_off():
    gc.disable()
    try:
        with garbage_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("reader", ["espos", "generic"])
def test_reading_a_page_leaves_no_part_of_its_tree_to_the_cyclic_collector(reader: str):
    """A page's tree is freed when the page is read, not at the next collection: a tree held
    in a reference cycle lives on, is traversed by every collection that sees it and is
    promoted to older generations (the paragraph walk's recursive closure once did this)."""
    page = SITES / "espos" / "regional.espos.id" / ESPOS_ARTICLE
    spider = get_spider_loader(project_settings()).load(reader)
    layouts = tuple(getattr(spider, "layouts", ()))
    gc.collect()
    flags = gc.get_debug()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        article = read_article(
            page.read_bytes(), f"https://regional.espos.id/{ESPOS_ARTICLE}", layouts
        ).article
        gc.collect()
        in_cycles = [o for o in gc.garbage if isinstance(o, etree._Element)]
    finally:
        gc.garbage.clear()
        gc.set_debug(flags)
        gc.enable()
    assert article.body
    assert in_cycles == []


def tuning(**settings: object) -> GarbageCollectionTuning:
    crawler = get_crawler(settings_dict=settings)
    return GarbageCollectionTuning.from_crawler(crawler)


def test_a_crawl_freezes_its_start_up_objects_and_collects_less_often_until_it_stops():
    before = gc.get_threshold()
    extension = tuning(CRAWLER_GC_FREEZE_START_UP=True, CRAWLER_GC_THRESHOLD=50_000)
    extension.spider_opened()
    try:
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == (50_000, *before[1:])
    finally:
        extension.engine_stopped()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_crawls_of_one_process_keep_the_tuning_until_the_last_one_stops():
    before = gc.get_threshold()
    settings = {"CRAWLER_GC_FREEZE_START_UP": True, "CRAWLER_GC_THRESHOLD": 50_000}
    first, second = tuning(**settings), tuning(**settings)
    first.spider_opened()
    second.spider_opened()
    try:
        first.engine_stopped()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 50_000
    finally:
        second.engine_stopped()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_an_engine_that_stops_without_opening_the_spider_changes_nothing():
    before = gc.get_threshold()
    tuning(CRAWLER_GC_THRESHOLD=50_000).engine_stopped()
    assert gc.get_threshold() == before


def test_the_threshold_alone_freezes_nothing():
    extension = tuning(CRAWLER_GC_FREEZE_START_UP=False, CRAWLER_GC_THRESHOLD=9_000)
    extension.spider_opened()
    try:
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold()[0] == 9_000
    finally:
        extension.engine_stopped()


@pytest.mark.parametrize(
    "settings",
    [
        {"CRAWLER_GC_FREEZE_START_UP": False, "CRAWLER_GC_THRESHOLD": 0},
        {"CRAWLER_GC_FREEZE_START_UP": True, "CRAWLER_GC_THRESHOLD": -1},
    ],
)
def test_python_s_own_collector_settings_or_a_bad_threshold_turn_it_off(settings):
    with pytest.raises(NotConfigured):
        tuning(**settings)


def test_the_project_tunes_the_collector():
    settings = project_settings()
    assert "crawler.extensions.garbage_collection.GarbageCollectionTuning" in settings.getdict(
        "EXTENSIONS"
    )
    assert settings.getbool("CRAWLER_GC_FREEZE_START_UP")
    assert settings.getint("CRAWLER_GC_THRESHOLD") > 700
