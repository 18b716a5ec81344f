"""What extraction notices about a page reaches the crawl's stats and log.

The pages are constructed; their structure imitates antaranews' 2017 template (a
``#content_news`` story box) in the two shapes issue 12 reports: ``<br>``-separated text (the
saved real page, where antara-2017's noise rules remove a pull-quote and an editor line) and
``<p>`` paragraphs (where ``#content_news p`` would delete the story). The text is invented.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.extraction.block import parse_html
from crawler.extraction.layouts import read_article
from crawler.extraction.selectors import read_body
from crawler.spiders.antarajateng import NATIONAL_2017, AntaraJatengSpider

URL = "https://jateng.antaranews.com/berita/629369/pasar-baru-dibuka"
SENTENCES = [
    f"Semarang (ANTARA) - Pasar baru dibuka di pusat kota, kalimat nomor {n} cukup panjang."
    for n in range(5)
]
HEAD = (
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pasar", '
    '"datePublished": "2017-05-15T18:43:56+07:00"}</script>'
)


def antara_2017(story: str) -> str:
    return (
        f"<html><head>{HEAD}</head><body><div class='bjbrt'><h1 class='title'>Pasar</h1>"
        f"<div id='content_news'>{story}</div></div></body></html>"
    )


BR_STORY = antara_2017(
    "<br><br>".join(SENTENCES) + "<div class='quote'>Kutipan yang diulang.</div>"
    "<p>Editor: Budi Santoso</p>"
)
P_STORY = antara_2017("".join(f"<p>{s}</p>" for s in SENTENCES) + "<span>Iklan</span>")


def test_noise_rules_apply_where_they_fit_the_page() -> None:
    body, skipped = read_body(parse_html(BR_STORY), NATIONAL_2017)
    assert body == SENTENCES and skipped == []


def test_a_noise_rule_that_would_delete_the_story_is_not_applied() -> None:
    body, skipped = read_body(parse_html(P_STORY), NATIONAL_2017)
    assert body == SENTENCES
    assert skipped == ["#content_news p"]
    article = read_article(P_STORY, URL, AntaraJatengSpider.layouts).article
    assert article.body == SENTENCES
    assert "#content_news p" in article.warnings["noise_rule_skipped"]


def test_a_noise_rule_that_would_delete_the_lead_is_not_applied() -> None:
    lead = f"<span>{SENTENCES[0]}</span>"
    page = antara_2017(lead + "<br><br>" + "<br><br>".join(SENTENCES[1:]) + "<span>Iklan</span>")
    body, skipped = read_body(parse_html(page), NATIONAL_2017)
    assert body[0] == SENTENCES[0]
    assert skipped == ["#content_news span"]


def test_the_spider_counts_and_logs_what_extraction_noticed(tmp_path: Path, caplog) -> None:
    crawler = get_crawler(AntaraJatengSpider, {"CRAWLER_STATE_DIR": str(tmp_path)})
    spider = AntaraJatengSpider.from_crawler(crawler)
    response = HtmlResponse(URL, body=P_STORY.encode(), encoding="utf-8", request=Request(URL))
    with caplog.at_level("INFO"):
        page = spider.read_page(response)
    assert page.layout is not None and page.layout.name == "antara-2017"
    assert crawler.stats.get_value("crawler/extraction/noise_rule_skipped") == 1
    assert "noise_rule_skipped" in caplog.text and URL in caplog.text
