"""The cluster profile add-on: one setting turns a crawler process into a cluster member.

``CRAWLER_REDIS_URL`` (``-s``, a settings file, or the environment variable of the same name)
names the cluster's Redis. When it is set, this add-on (listed in ``ADDONS``) points Scrapy at
the shared article frontier of ``crawler.cluster.frontier`` (scrapy-redis's scheduler with leases)
and at the Redis delivered-store, and adds the claim pipeline and the cluster-wide
politeness middleware (``crawler.cluster.politeness``), so every outlet spider runs unchanged.
It sets them at the settings module's priority (``project``; Scrapy's ``addon`` priority is
lower and would lose to ``crawler/settings.py``'s ``CRAWLER_DELIVERED_STORE``): ``-s`` and
spider settings still override each one.

This module imports nothing of scrapy-redis, so a machine without the ``cluster`` extra runs
single-machine crawls as before and gets a clear error only when it asks for a cluster.
"""

from __future__ import annotations

import importlib.util
import os
from urllib.parse import urlsplit, urlunsplit

from scrapy.settings import BaseSettings

#: Environment variable (and setting) naming the cluster's Redis; empty: no cluster.
REDIS_URL_VARIABLE = "CRAWLER_REDIS_URL"
#: Modules the cluster profile needs (installed by ``pip install -e '.[cluster]'``).
REQUIRED_MODULES = ("scrapy_redis", "redis")

#: Priority of what the profile sets: above the settings module's defaults, below ``-s``.
PROFILE_PRIORITY = "project"
#: What the profile sets.
CLUSTER_SETTINGS = {
    "SCHEDULER": "crawler.cluster.frontier.ClusterScheduler",
    "DUPEFILTER_CLASS": "crawler.cluster.frontier.LeaseDupeFilter",
    "SCHEDULER_QUEUE_CLASS": "crawler.cluster.frontier.ClaimingPriorityQueue",
    # The frontier outlives each process: a process that ends does not clear it.
    "SCHEDULER_PERSIST": True,
    "CRAWLER_DELIVERED_STORE": "crawler.store.redis.RedisDeliveredStore",
}

#: After the delivered-store's drop (400), before enrichment (500): one process per article.
CLUSTER_PIPELINES = {"crawler.pipelines.claim.ClaimPipeline": 450}
#: Last before the download handlers (after the HTTP cache, 900): one politeness budget per
#: host for the whole cluster.
CLUSTER_DOWNLOADER_MIDDLEWARES = {"crawler.cluster.politeness.ClusterPolitenessMiddleware": 960}


class ClusterUnavailable(RuntimeError):
    """A cluster was asked for but cannot be joined: refuse to crawl alone (and deliver twice)."""


def redis_url(settings: BaseSettings) -> str:
    """The cluster's Redis URL from the settings, else the environment; empty: no cluster."""
    return settings.get(REDIS_URL_VARIABLE) or os.environ.get(REDIS_URL_VARIABLE, "")


def url_for_log(url: str) -> str:
    """The Redis URL without its password."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


def check_reachable(settings: BaseSettings) -> None:
    """Before a crawl: ``ClusterUnavailable`` naming the URL when the cluster cannot be joined
    (extra missing, Redis not answering), instead of a traceback from inside the crawl."""
    url = redis_url(settings)
    if not url:
        return
    ClusterAddon().update_settings(settings.copy())
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=10, socket_timeout=10).ping()
    except (redis.RedisError, ValueError) as error:
        raise ClusterUnavailable(
            f"{REDIS_URL_VARIABLE} {url_for_log(url)} cannot be used: {error}"
        ) from None


def shares_frontier(settings: BaseSettings) -> bool:
    """Whether this crawl is a cluster member: its processes of one outlet run together by
    design (the shared frontier gives each article to one of them), so they take no run lock."""
    return settings.get("SCHEDULER") == CLUSTER_SETTINGS["SCHEDULER"]


def apply_profile(settings: BaseSettings) -> None:
    """Set the cluster settings when a Redis URL is given; frozen settings are left alone.

    Scrapy builds the spider before it applies add-ons, and our spiders open the
    delivered-store in ``from_crawler`` (for their date window), so the outlet spider calls
    this first; the add-on applies it again for whatever is built later.
    """
    if settings.frozen:
        return
    ClusterAddon().update_settings(settings)


class ClusterAddon:
    """Switch scheduler, duplicate filter and delivered-store to Redis when a URL is given."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return
        missing = [name for name in REQUIRED_MODULES if importlib.util.find_spec(name) is None]
        if missing:
            raise ClusterUnavailable(
                f"{REDIS_URL_VARIABLE} is set but {', '.join(missing)} is not installed: "
                "pip install -e '.[cluster]'"
            )
        settings.set(REDIS_URL_VARIABLE, url, priority=PROFILE_PRIORITY)
        settings.set("REDIS_URL", url, priority=PROFILE_PRIORITY)
        for name, value in CLUSTER_SETTINGS.items():
            settings.set(name, value, priority=PROFILE_PRIORITY)
        pipelines = {**settings.getdict("ITEM_PIPELINES"), **CLUSTER_PIPELINES}
        settings.set("ITEM_PIPELINES", pipelines, priority=PROFILE_PRIORITY)
        middlewares = {
            **settings.getdict("DOWNLOADER_MIDDLEWARES"),
            **CLUSTER_DOWNLOADER_MIDDLEWARES,
        }
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority=PROFILE_PRIORITY)
