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
its fixture crawl.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from conftest import SITES, log_stat, read_jsonl, run_scrapy

from crawler.downloader.blocking import is_challenge
from crawler.outlets.registry import registered_outlets
from crawler.spiders.generic import GenericSpider
from crawler.testing.fixture_server import FixtureServer

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


def _host_and_path(url: str) -> str:
    """A URL as the fixture server records it (scheme dropped, query kept)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}{parts.path or '/'}" + (
        f"?{parts.query}" if parts.query else ""
    )


def _load_expected(name: str) -> dict:
    expected_file = SITES / name / "EXPECTED.json"
    if not expected_file.is_file():
        pytest.fail(
            f"outlet {name!r} is registered but has no fixture site: {expected_file} is missing "
            f"(every outlet needs tests/sites/{name}/ with an EXPECTED.json in the schema of "
            "tests/sites/espos/EXPECTED.json)",
            pytrace=False,
        )
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    problems = [key for key in ("window", "articles") if key not in expected]
    problems += [
        f"articles[{index}].{key}"
        for index, article in enumerate(expected.get("articles", []))
        for key in RECORD_FIELDS
        if key not in article
    ]
    if problems:
        pytest.fail(f"{expected_file} lacks {', '.join(problems)}", pytrace=False)
    return expected


@pytest.fixture(scope="module", params=OUTLETS)
def outlet_crawl(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One crawl of the outlet's fixture site over its EXPECTED window."""
    name = request.param
    expected = _load_expected(name)
    arguments = [
        f"since={expected['window']['since']}",
        f"until={expected['window']['until']}",
        *(f"{key}={value}" for key, value in expected.get("arguments", {}).items()),
    ]
    workdir = tmp_path_factory.mktemp(f"outlet-{name}")
    with FixtureServer(SITES / name) as server:
        result = run_scrapy(
            ["crawl", name, *(part for a in arguments for part in ("-a", a)), "-O", "out.jsonl"],
            cwd=workdir,
            host_map=server.host_map(),
        )
        requested = {_host_and_path(f"http://{r.host}{r.path}") for r in server.requests}
    assert result.returncode == 0, f"scrapy crawl {name} failed:\n{result.stderr[-3000:]}"
    return {
        "name": name,
        "expected": expected,
        "records": read_jsonl(workdir / "out.jsonl"),
        "requested": requested,
        "log": result.stderr,
    }


def test_exported_urls_are_exactly_the_expected_ones(outlet_crawl):
    exported = sorted(record["url"] for record in outlet_crawl["records"])
    assert exported == sorted(a["url"] for a in outlet_crawl["expected"]["articles"])


def test_every_field_of_every_record(outlet_crawl):
    records = {record["url"]: record for record in outlet_crawl["records"]}
    differences = []
    for expected in outlet_crawl["expected"]["articles"]:
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


def test_records_carry_the_registry_entry(outlet_crawl):
    outlet = REGISTRY[outlet_crawl["name"]]
    assert outlet_crawl["records"], "the fixture crawl exported nothing"
    for record in outlet_crawl["records"]:
        assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
            outlet_crawl["name"],
            outlet.name,
            outlet.media_type,
        )


def test_not_fetched_urls_are_never_requested(outlet_crawl):
    fetched = [
        entry["url"]
        for entry in outlet_crawl["expected"].get("not_fetched", [])
        if _host_and_path(entry["url"]) in outlet_crawl["requested"]
    ]
    assert not fetched


def test_not_exported_urls_are_not_exported(outlet_crawl):
    exported = {record["url"] for record in outlet_crawl["records"]}
    leaked = [
        entry["url"]
        for entry in outlet_crawl["expected"].get("not_exported", [])
        if entry["url"] in exported
    ]
    assert not leaked


def test_block_and_challenge_pages_are_counted_never_exported(outlet_crawl):
    """Every ``blocked`` entry: met (counted under crawler/blocked/<outlet>), failed under its
    reason (``article_challenge`` for a bot challenge, ``article_blocked`` for a refusal) and
    never an article, with or without the browser."""
    blocked = outlet_crawl["expected"].get("blocked", [])
    if not blocked:
        return
    log, name = outlet_crawl["log"], outlet_crawl["name"]
    exported = {record["url"] for record in outlet_crawl["records"]}
    assert log_stat(log, f"crawler/blocked/{name}") >= len(blocked)
    for entry in blocked:
        assert entry["url"] not in exported
        challenge = is_challenge(entry["kind"])
        failure = entry.get("failure") or ("article_challenge" if challenge else "article_blocked")
        assert f"{failure}: {entry['url']}" in log, entry


def test_discovery_urls_are_requested(outlet_crawl):
    missing = [
        url
        for url in outlet_crawl["expected"].get("discovery_urls", [])
        if _host_and_path(url) not in outlet_crawl["requested"]
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
