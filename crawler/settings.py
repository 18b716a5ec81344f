"""Scrapy settings of the crawler.

Everything a user may want to change is a setting (override with ``-s NAME=value`` or in a
Scrapyd/``scrapy.cfg`` deployment); paths are relative to the working directory.
"""

BOT_NAME = "crawler"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Politeness: an identifying User-Agent, robots.txt, AutoThrottle. -------------------------
#: Contact address shown in the User-Agent so site owners can reach the operator.
CRAWLER_CONTACT = "https://github.com/jateng-news-crawler"
USER_AGENT = f"jateng-news-crawler/0.1 (+{CRAWLER_CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# --- Offline / fixture use -------------------------------------------------------------------
#: Map real outlet hostnames to local servers, e.g. {"www.espos.id": "127.0.0.1:8321"}.
#: Items keep the real URLs; only the connection goes elsewhere. Empty in production.
CRAWLER_HOST_MAP: dict[str, str] = {}
DOWNLOAD_HANDLERS = {
    "http": "crawler.downloader.HostMapDownloadHandler",
    "https": "crawler.downloader.HostMapDownloadHandler",
}

# --- Discovery and article selection ---------------------------------------------------------
#: Days back from now (WIB) a crawl looks when no ``-a since`` is given.
CRAWLER_DEFAULT_WINDOW_DAYS = 2
#: Upper bound of article pages one run requests (0 = no limit); ``-a max_articles`` overrides.
CRAWLER_MAX_ARTICLES = 0
#: How many listing pages a spider follows per listing.
CRAWLER_MAX_LISTING_PAGES = 10

# --- Item pipelines: normalise, validate, dedupe, enrich, then the delivered-store. -----------
ITEM_PIPELINES = {
    "crawler.pipelines.NormalizePipeline": 100,
    "crawler.pipelines.ValidatePipeline": 200,
    "crawler.pipelines.DuplicateUrlPipeline": 300,
    "crawler.pipelines.DeliveredStorePipeline": 400,
    "crawler.pipelines.EnrichPipeline": 500,
}
#: Enrichers run in order on every valid item (regions, parties, sentiment).
CRAWLER_ENRICHERS = ["crawler.enrichment.dateline_regions.DatelineRegionEnricher"]
#: Where articles already delivered are remembered (null store: nothing is remembered).
CRAWLER_DELIVERED_STORE = "crawler.pipelines.store.NullDeliveredStore"
#: Directory for crawl state (delivered-store, last-run times), relative to the working directory.
CRAWLER_STATE_DIR = ".crawler-state"

# --- Export ----------------------------------------------------------------------------------
FEED_EXPORTERS = {
    "clipping": "crawler.exporters.ClippingItemExporter",
    "jsonlines": "crawler.exporters.IsoJsonLinesItemExporter",
    "jsonl": "crawler.exporters.IsoJsonLinesItemExporter",
    "json": "crawler.exporters.IsoJsonItemExporter",
}
FEED_EXPORT_ENCODING = "utf-8"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
