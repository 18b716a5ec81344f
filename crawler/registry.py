"""The outlet registry: every spider that declares an :class:`~crawler.outlets.Outlet`."""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.outlets import Outlet


def registered_outlets(settings: BaseSettings | None = None) -> dict[str, Outlet]:
    """Spider name -> registry entry, for every spider of the project that declares one."""
    loader = get_spider_loader(settings or get_project_settings())
    outlets = {}
    for name in sorted(loader.list()):
        outlet = getattr(loader.load(name), "outlet", None)
        if isinstance(outlet, Outlet):
            outlets[name] = outlet
    return outlets
