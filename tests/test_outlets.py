"""Every registered outlet, end to end over its fixture site, against its EXPECTED.json.

The list of outlets comes from the registry when the tests are collected, so an outlet added
later is tested without touching this file, and a registered outlet without
``tests/sites/<spider>/EXPECTED.json`` fails here. The generic spider has no site of its own
(tests/test_generic_spider.py covers it).

EXPECTED.json follows tests/sites/espos/EXPECTED.json: ``window`` (since/until, passed as
``-a since``/``-a until``), ``articles`` (every exported record, fields below), and optional
``not_exported``, ``not_fetched``, ``discovery_urls`` and ``blocked`` lists (a blocked entry
names its ``url``, the ``kind`` of block page and the ``failure`` it ends in: by default
``article_challenge`` for a bot challenge, ``article_blocked`` for a refusal).
An optional ``arguments`` object adds spider arguments (``-a name=value``) an outlet needs for
its fixture crawl, an optional ``settings`` object crawl settings (``-s NAME=value``).

The crawl is the session's one crawl of the site (tests/conftest.py, `crawl`), which the
outlet's own tests/test_<outlet>_e2e.py reads too: this file checks what every outlet must do,
those files what only that outlet does.
"""

from __future__ import annotations

import pytest
from conftest import SITES, SiteCrawl, article_files, load_expected, log_stat, request_key

from crawler.downloader.blocking import is_challenge
from crawler.outlets.registry import registered_outlets
from crawler.spiders.generic import GenericSpider

REGISTRY = registered_outlets()
OUTLETS = sorted(name for name in REGISTRY if name != GenericSpider.name)
#: Fields of an exported record that EXPECTED.json states for every article.
RECORD_FIELDS = (
    "url",
    "title",
    "published",
    "modified",
    "authors",
    "section",
    "tags",
    "dateline",
    "body",
    "views",
)


@pytest.mark.parametrize("name", OUTLETS)
def test_expected_json_states_the_window_and_every_field(name: str) -> None:
    expected_file = SITES / name / "EXPECTED.json"
    if not expected_file.is_file():
        pytest.fail(
            f"outlet {name!r} is registered but has no fixture site: {expected_file} is missing "
            f"(every outlet needs tests/sites/{name}/ with an EXPECTED.json in the schema of "
            "tests/sites/espos/EXPECTED.json)",
            pytrace=False,
        )
    expected = load_expected(name)
    problems = [key for key in ("window", "articles") if key not in expected]
    problems += [
        f"articles[{index}].{key}"
        for index, article in enumerate(expected.get("articles", []))
        for key in RECORD_FIELDS
        if key not in article
    ]
    assert not problems, f"{expected_file} lacks {', '.join(problems)}"


#: The session's crawl of each outlet's fixture site (tests/conftest.py, `crawl`).
each_outlet = pytest.mark.parametrize("crawl", OUTLETS, indirect=True)


def requested(crawl: SiteCrawl) -> set[str]:
    """What the fixture server was asked for, as ``host/path?query``."""
    return {request_key(url) for url in crawl.requests}


@each_outlet
def test_exported_urls_are_exactly_the_expected_ones(crawl: SiteCrawl) -> None:
    exported = sorted(record["url"] for record in crawl.records)
    assert exported == sorted(a["url"] for a in crawl.expected["articles"])


@each_outlet
def test_every_field_of_every_record(crawl: SiteCrawl) -> None:
    records = {record["url"]: record for record in crawl.records}
    differences = []
    for expected in crawl.expected["articles"]:
        record = records.get(expected["url"])
        if record is None:
            differences.append(f"{expected['url']}: not exported")
            continue
        differences += [
            f"{expected['url']}: {field} = {record.get(field)!r}, expected {expected[field]!r}"
            for field in RECORD_FIELDS
            if record.get(field) != expected[field]
        ]
    assert not differences, "\n".join(differences)


@each_outlet
def test_records_carry_the_registry_entry(crawl: SiteCrawl) -> None:
    outlet = REGISTRY[crawl.name]
    assert crawl.records, "the fixture crawl exported nothing"
    for record in crawl.records:
        assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
            crawl.name,
            outlet.name,
            outlet.media_type,
        )


@each_outlet
def test_every_exported_article_was_read_in_a_worker_process(crawl: SiteCrawl) -> None:
    """The shared crawls read every article page in a worker (tests/conftest.py), so every
    field checked above is what a worker read (of articles served as pages, not as WordPress
    REST answers); none of them failed there, and the spider used every reading (it asked for
    the same layouts and arguments as it reads with)."""
    assert crawl.stats.get("crawler/read_ahead/pages", 0) >= len(article_files(crawl.name))
    assert "crawler/read_ahead/failed" not in crawl.stats
    assert "crawler/read_ahead/broken" not in crawl.stats
    assert "crawler/read_ahead/unused" not in crawl.stats


@each_outlet
def test_the_crawl_uses_nothing_deprecated(crawl: SiteCrawl) -> None:
    """Scrapy warns once it will stop supporting a way of doing something (the read-ahead
    middleware's spider_closed returned a Deferred); a warning today is a break later."""
    warnings = [line for line in crawl.log.splitlines() if "DeprecationWarning" in line]
    assert not warnings


@each_outlet
def test_not_fetched_urls_are_never_requested(crawl: SiteCrawl) -> None:
    fetched = [
        entry["url"]
        for entry in crawl.expected.get("not_fetched", [])
        if request_key(entry["url"]) in requested(crawl)
    ]
    assert not fetched


@each_outlet
def test_not_exported_urls_are_not_exported(crawl: SiteCrawl) -> None:
    exported = {record["url"] for record in crawl.records}
    leaked = [
        entry["url"] for entry in crawl.expected.get("not_exported", []) if entry["url"] in exported
    ]
    assert not leaked


@each_outlet
def test_block_and_challenge_pages_are_counted_never_exported(crawl: SiteCrawl) -> None:
    """Every ``blocked`` entry: met (counted under crawler/blocked/<outlet>), failed under its
    reason (``article_challenge`` for a bot challenge, ``article_blocked`` for a refusal) and
    never an article, with or without the browser."""
    blocked = crawl.expected.get("blocked", [])
    if not blocked:
        return
    log, name = crawl.log, crawl.name
    exported = {record["url"] for record in crawl.records}
    assert log_stat(log, f"crawler/blocked/{name}") >= len(blocked)
    for entry in blocked:
        assert entry["url"] not in exported
        challenge = is_challenge(entry["kind"])
        failure = entry.get("failure") or ("article_challenge" if challenge else "article_blocked")
        assert f"{failure}: {entry['url']}" in log, entry


@each_outlet
def test_discovery_urls_are_requested(crawl: SiteCrawl) -> None:
    missing = [
        url
        for url in crawl.expected.get("discovery_urls", [])
        if request_key(url) not in requested(crawl)
    ]
    assert not missing


def test_every_fixture_site_belongs_to_a_registered_outlet():
    sites = {path.parent.name for path in SITES.glob("*/EXPECTED.json")}
    orphans = sorted(sites - set(REGISTRY))
    assert not orphans, f"fixture sites without a registered spider: {orphans}"


def test_the_espos_site_is_among_the_tested_outlets():
    # The registry is read at collection time; an empty list would silently test nothing.
    assert "espos" in OUTLETS
    assert (SITES / "espos" / "EXPECTED.json").is_file()
