"""The User-Agent: a browser's with our name, version and contact, built when the crawl starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SITES, run_scrapy
from scrapy.settings import Settings

from crawler import __version__
from crawler.downloader.user_agent import UserAgentAddon, build_user_agent
from crawler.outlets.registry import project_settings
from crawler.spiders.tribunjateng import TribunJatengSpider
from crawler.testing.fixture_server import FixtureServer

ARTICLE = (
    "https://jateng.tribunnews.com/2025/07/03/"
    "pemkot-semarang-perluas-zona-parkir-elektronik-di-simpang-lima"
)


def crawl_user_agents(tmp_path: Path, *settings: str) -> set[str]:
    """The User-Agent headers the fixture server saw during a one-article crawl."""
    with FixtureServer(SITES / "tribunjateng") as server:
        result = run_scrapy(
            ["crawl", "tribunjateng", "-a", f"url={ARTICLE}", "-O", "out.jsonl", *settings],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
    assert result.returncode == 0, result.stderr[-2000:]
    return {request.user_agent for request in server.requests}


def test_default_is_a_browser_user_agent_that_names_the_crawler_and_its_contact() -> None:
    settings = project_settings()
    agent = build_user_agent(settings)
    assert agent.startswith("Mozilla/5.0 (") and " Chrome/" in agent
    assert agent.endswith(f" jateng-news-crawler/{__version__} (+{settings['CRAWLER_CONTACT']})")
    assert "example" not in settings["CRAWLER_CONTACT"]
    assert settings["ROBOTSTXT_USER_AGENT"] == "jateng-news-crawler"


def test_bot_style_and_unknown_style() -> None:
    settings = Settings(
        {"CRAWLER_CONTACT": "mailto:ops@media.id", "CRAWLER_USER_AGENT_STYLE": "bot"}
    )
    assert build_user_agent(settings) == f"jateng-news-crawler/{__version__} (+mailto:ops@media.id)"
    with pytest.raises(ValueError, match="CRAWLER_USER_AGENT_STYLE"):
        build_user_agent(Settings({"CRAWLER_USER_AGENT_STYLE": "curl"}))


def test_an_outlet_sets_its_own_style_in_custom_settings() -> None:
    class BotStyleTribun(TribunJatengSpider):
        custom_settings = {"CRAWLER_USER_AGENT_STYLE": "bot"}

    settings = project_settings()
    # The order of scrapy.crawler.Crawler: the spider's custom_settings, then the add-ons.
    BotStyleTribun.update_settings(settings)
    UserAgentAddon().update_settings(settings)
    assert settings["USER_AGENT"].startswith("jateng-news-crawler/")


def test_crawler_contact_on_the_command_line_reaches_every_request(tmp_path: Path) -> None:
    contact = "mailto:monitoring@kliping.co.id"
    agents = crawl_user_agents(tmp_path, "-s", f"CRAWLER_CONTACT={contact}")
    [agent] = agents  # robots.txt and the article alike
    assert agent.startswith("Mozilla/5.0 (")
    assert agent.endswith(f" jateng-news-crawler/{__version__} (+{contact})")


def test_an_explicit_user_agent_is_used_as_it_is(tmp_path: Path) -> None:
    agents = crawl_user_agents(tmp_path, "-s", "USER_AGENT=KlipingBot/2.0")
    assert agents == {"KlipingBot/2.0"}
