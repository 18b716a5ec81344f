"""The User-Agent every request carries, built from the settings when a crawl starts.

A bare bot User-Agent is refused by some outlets' CDNs: Tribun's CloudFront answered 403 to
``EGIMediaCrawler/0.1`` and to curl, and 200 to a desktop Chrome User-Agent with that same bot
name appended (outlet-evidence-2026-12.md §4, verified live 2026-07-24). So the default is a
current Chrome User-Agent followed by our own product token, version and contact: the CDN sees a
browser, a site owner reading the logs still sees who we are and where to reach the operator,
and robots.txt rules are read for our own name (``ROBOTSTXT_USER_AGENT``).

:class:`UserAgentAddon` builds ``USER_AGENT`` from ``CRAWLER_CONTACT``,
``CRAWLER_USER_AGENT_STYLE`` and ``CRAWLER_BROWSER_USER_AGENT`` after the command line's ``-s``
and a spider's ``custom_settings`` are in, so both change it; an explicit ``USER_AGENT`` (``-s``
or ``custom_settings``) is used as it is.
"""

from __future__ import annotations

from typing import Literal

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from crawler import __version__

#: Our product token, also the name robots.txt rules are read for.
CRAWLER_TOKEN = "jateng-news-crawler"
#: ``browser``: the browser's User-Agent, then ours; ``bot``: ours alone.
UserAgentStyle = Literal["browser", "bot"]
USER_AGENT_STYLES: tuple[UserAgentStyle, ...] = ("browser", "bot")


def crawler_product(contact: str) -> str:
    """``jateng-news-crawler/0.1.0 (+https://...)``: who we are and how to reach the operator."""
    return (
        f"{CRAWLER_TOKEN}/{__version__} (+{contact})"
        if contact
        else f"{CRAWLER_TOKEN}/{__version__}"
    )


def build_user_agent(settings: BaseSettings) -> str:
    """The User-Agent the settings ask for (see the module docstring)."""
    style = str(settings.get("CRAWLER_USER_AGENT_STYLE") or "browser").strip().lower()
    if style not in USER_AGENT_STYLES:
        raise ValueError(
            f"CRAWLER_USER_AGENT_STYLE must be one of {USER_AGENT_STYLES}, not {style!r}"
        )
    product = crawler_product(str(settings.get("CRAWLER_CONTACT") or "").strip())
    browser = str(settings.get("CRAWLER_BROWSER_USER_AGENT") or "").strip()
    return f"{browser} {product}" if style == "browser" and browser else product


class UserAgentAddon:
    """Set ``USER_AGENT`` from the crawl's final settings unless it was set explicitly."""

    def update_settings(self, settings: BaseSettings) -> None:
        if settings.getpriority("USER_AGENT") > SETTINGS_PRIORITIES["addon"]:
            return
        settings.set("USER_AGENT", build_user_agent(settings), priority="addon")
