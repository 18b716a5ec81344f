"""A report opened in Debian's Chromium, headless, as a reader would see it.

Used by the browser tests (rendered DOM, no network, no script) and by the README screenshot
(crawler.report.screenshot). Launches the same Chromium as the crawler's ``browser`` extra
(``PLAYWRIGHT_LAUNCH_OPTIONS``); Playwright's own browser download is never used.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.settings import PLAYWRIGHT_LAUNCH_OPTIONS

#: A desktop window, and a phone's (a common 360-point-wide Android screen).
DESKTOP = {"width": 1100, "height": 900}
PHONE = {"width": 360, "height": 740}


def chromium_available() -> bool:
    """Whether the ``browser`` extra (playwright) and Debian's Chromium are installed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"]).exists()


@dataclass
class OpenedReport:
    """The loaded page, and whatever it tried beyond showing itself."""

    page: Any
    #: URLs the page requested other than the report file itself (all refused)
    requests: list[str] = field(default_factory=list)
    #: console errors (a Content-Security-Policy refusal shows up here) and script dialogs
    errors: list[str] = field(default_factory=list)


@contextmanager
def open_report(path: Path, *, viewport: dict[str, int] = DESKTOP) -> Iterator[OpenedReport]:
    """Load the report file in a fresh headless Chromium; every other request is refused."""
    from playwright.sync_api import sync_playwright

    url = path.resolve().as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**PLAYWRIGHT_LAUNCH_OPTIONS)
        try:
            page = browser.new_page(viewport=viewport)
            opened = OpenedReport(page)

            def route(route: Any) -> None:
                if route.request.url == url:
                    route.continue_()
                else:
                    opened.requests.append(route.request.url)
                    route.abort()

            def console(message: Any) -> None:
                if message.type == "error":
                    opened.errors.append(message.text)

            def dialog(dialog: Any) -> None:
                opened.errors.append(f"dialog: {dialog.message}")
                dialog.dismiss()

            page.route("**/*", route)
            page.on("console", console)
            page.on("dialog", dialog)
            page.goto(url, wait_until="load")
            yield opened
        finally:
            browser.close()


def save_screenshot(
    report: Path, png: Path, *, viewport: dict[str, int] = DESKTOP, full_page: bool = True
) -> None:
    """A PNG of the rendered report."""
    png.parent.mkdir(parents=True, exist_ok=True)
    with open_report(report, viewport=viewport) as opened:
        opened.page.screenshot(path=str(png), full_page=full_page)
