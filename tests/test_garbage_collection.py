"""The collector is off while a page is read and back as it was afterwards, whatever happens;
and a page read leaves nothing of its tree for the collector to find."""

from __future__ import annotations

import gc

import pytest
from conftest import SITES
from lxml import etree
from scrapy.spiderloader import get_spider_loader

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
