"""Scrapy settings of the crawler.

Everything a user may want to change is a setting (override with ``-s NAME=value`` or in a
Scrapyd/``scrapy.cfg`` deployment); paths are relative to the working directory.
"""

# Imported first, before the spider loader's deep import chain: Scrapy's TLS modules create
# deprecated class aliases with ``inspect.stack()``, whose cost grows with the stack's depth
# and the modules loaded (0.2-0.3 s of CPU per `scrapy` start when reached through the
# spiders, under 0.1 s from here). Every crawl uses this handler anyway. Here, not in the
# package's __init__, so that page-reading worker processes (crawler.extraction.workers),
# which import only crawler.extraction, do not pay for Scrapy.
import scrapy.core.downloader.handlers.http11  # noqa: F401

BOT_NAME = "crawler"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Politeness: an identifying User-Agent, robots.txt, AutoThrottle. -------------------------
#: Where a site owner reaches the operator (a URL or "mailto:..."), shown in the User-Agent.
#: Operators set their own; the default names the project.
CRAWLER_CONTACT = "https://github.com/jateng-news-crawler/jateng-news-crawler"
#: The User-Agent is built when a crawl starts (crawler.downloader.user_agent.UserAgentAddon, in
#: ADDONS): "browser" = CRAWLER_BROWSER_USER_AGENT + " jateng-news-crawler/<version>
#: (+CRAWLER_CONTACT)", "bot" = the part after the browser's alone. An outlet may set either in
#: custom_settings; an explicit USER_AGENT (-s or custom_settings) is used as it is.
CRAWLER_USER_AGENT_STYLE = "browser"
#: A current desktop Chrome's User-Agent (reduced form), which outlets' CDNs accept.
CRAWLER_BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)
#: robots.txt rules are read for our own name, not for the browser part of the User-Agent.
ROBOTSTXT_USER_AGENT = "jateng-news-crawler"
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
#: Scrapy's "Gave up retrying" line (Scrapy 2.17+): the spider logs every failed request once
#: with its reason (crawler/failed/<reason>), so this one only repeats it.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
#: Block pages (bot challenges, captchas, "Access denied"; see crawler.downloader.blocking) are
#: retried this many times, the first time after CRAWLER_BLOCK_RETRY_DELAY seconds, each further
#: time CRAWLER_BLOCK_RETRY_BACKOFF times later, never later than CRAWLER_BLOCK_RETRY_MAX_DELAY.
CRAWLER_BLOCK_RETRY_TIMES = 2
CRAWLER_BLOCK_RETRY_DELAY = 60.0
CRAWLER_BLOCK_RETRY_BACKOFF = 2.0
CRAWLER_BLOCK_RETRY_MAX_DELAY = 900.0

# --- Offline / fixture use -------------------------------------------------------------------
#: Map real outlet hostnames to local servers, e.g. {"www.espos.id": "127.0.0.1:8321"}.
#: Items keep the real URLs; only the connection goes elsewhere. Empty in production.
CRAWLER_HOST_MAP: dict[str, str] = {}
#: The host map for every request; the browser (below) for the few requests that ask for it.
DOWNLOAD_HANDLERS = {
    "http": "crawler.downloader.browser.BrowserDownloadHandler",
    "https": "crawler.downloader.browser.BrowserDownloadHandler",
}

# --- JavaScript rendering (crawler/downloader/browser.py) -----------------------------------------
#: "auto": pages that are JavaScript shells are rendered in a browser when the `browser` extra
#: (scrapy-playwright) is installed, only in crawls of outlets with needs_browser; "off": never
#: (such pages are skipped and counted under crawler/skipped/needs_browser).
CRAWLER_BROWSER = "auto"
#: Debian's Chromium (apt-get install chromium); Playwright's own browser download is not used.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
    "headless": True,
}
#: Seconds the browser waits for a bot challenge (crawler.downloader.blocking) to lead on to the
#: page.
CRAWLER_BROWSER_CHALLENGE_WAIT = 20.0
#: Milliseconds a page may take to load in the browser.
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
#: Rendered pages open at once; few pages need the browser, and each costs memory.
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2

# --- Web archive ---
#: Directory for WARC captures of fetched responses (empty: no capture). One gzipped file per run
#: and outlet, named by CRAWLER_WARC_FILE (%(name)s: spider, %(time)s: run start, UTC).
CRAWLER_WARC_DIR = ""
CRAWLER_WARC_FILE = "%(name)s/%(name)s-%(time)s.warc.gz"
#: "articles": article pages only; "all": discovery too (robots.txt, sitemaps, feeds, listings),
#: which an archive needs to replay a whole crawl.
CRAWLER_WARC_CAPTURE = "articles"
#: WARC files, directories or globs (%(name)s allowed) to serve responses from instead of the
#: network; URLs not archived get a 404. Empty: the network. Capture is off while replaying.
CRAWLER_WARC_REPLAY: list[str] = []

# --- Operations ---
#: Project commands: `crawl` with an exit status for cron, and `crawlall`.
COMMANDS_MODULE = "crawler.commands"
#: A run fails (exit 6) when more than this share of its article requests failed.
CRAWLER_MAX_ERROR_RATIO = 0.5
#: ...but only once at least this many article requests failed (one dead link is not an outage).
CRAWLER_MIN_FAILED_ARTICLES = 3
#: Seconds between redraws of the progress lines on a terminal (0: no progress lines).
CRAWLER_PROGRESS_INTERVAL = 3.0
#: Off: Scrapy's check that a generator callback returns no value re-reads the callback's source
#: (``inspect.getsource`` + ``ast.parse``, ~1-2 ms for ``parse_article``) whenever its cache
#: entry is gone, which it holds by the bound method of one request, weakly: 0.5 ms an article
#: under cProfile in the bench's espos crawl. tests/test_spider_callbacks.py runs the same
#: check once on every generator method of every spider.
WARN_ON_GENERATOR_RETURN_VALUE = False

# --- Discovery and article selection ---------------------------------------------------------
#: Days back from now (WIB) a crawl looks when no ``-a since`` is given.
CRAWLER_DEFAULT_WINDOW_DAYS = 2
#: Upper bound of article pages one run requests (0 = no limit); ``-a max_articles`` overrides.
CRAWLER_MAX_ARTICLES = 0
#: How many listing pages a spider follows per listing.
CRAWLER_MAX_LISTING_PAGES = 10
#: Sitemap indexes followed at most this deep (robots.txt -> index -> index -> sitemap is 2)...
CRAWLER_MAX_SITEMAP_DEPTH = 4
#: ...and at most this many sitemaps a run, newest first: an index that links a new index at
#: every hop cannot hold a crawl (what is left out is counted and logged).
CRAWLER_MAX_SITEMAPS = 1000

# --- Outlet health (`scrapy outlet_health <spider>`) ----------------------------------------
#: Articles a health run fetches, and how many days back it looks when no -a since is given.
CRAWLER_HEALTH_ARTICLES = 5
CRAWLER_HEALTH_WINDOW_DAYS = 3
#: Minimum coverage per field (0..1) below which the health run exits non-zero; entries here
#: override crawler.run.health.DEFAULT_THRESHOLDS (title, published, body 1.0; authors, dateline,
#: kab_kota 0.5), e.g. {"authors": 0.8}.
CRAWLER_HEALTH_THRESHOLDS: dict[str, float] = {}

# --- Item pipelines: normalise, validate, dedupe, enrich, then the delivered-store. -----------
ITEM_PIPELINES = {
    "crawler.pipelines.NormalizePipeline": 100,
    "crawler.pipelines.ValidatePipeline": 200,
    "crawler.pipelines.DuplicateUrlPipeline": 300,
    "crawler.pipelines.DeliveredStorePipeline": 400,
    "crawler.pipelines.EnrichPipeline": 500,
}
#: Items of one response passed through the pipelines at once. Ours are all synchronous, so
#: items never overlap in them anyway, while Scrapy starts this many asyncio tasks for every
#: response whatever it yields: its default of 100 cost about 3.5 ms of CPU an article.
CONCURRENT_ITEMS = 1
#: Scrapy's default scheduler queue, counting its requests instead of walking one internal
#: queue per article for every length asked (``crawler/pqueues.py``); the same order.
SCHEDULER_PRIORITY_QUEUE = "crawler.pqueues.CountedDownloaderAwarePriorityQueue"
#: Enrichers run in order on every valid item (regions, parties, sentiment).
CRAWLER_ENRICHERS = [
    "crawler.enrichment.regions.RegionEnricher",
    "crawler.enrichment.parties.PartyEnricher",
    "crawler.enrichment.sentiment.SentimentEnricher",
]
#: Where delivered articles and successful runs are remembered (crawler.store): a SQLite file
#: CRAWLER_STATE_DIR/delivered.sqlite3. "crawler.store.NullDeliveredStore" remembers nothing.
CRAWLER_DELIVERED_STORE = "crawler.store.sqlite.SqliteDeliveredStore"
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

# --- Delivery (exactly once) ---
#: The default window starts this many hours before the start of the outlet's last successful
#: run (first run: CRAWLER_DEFAULT_WINDOW_DAYS); -a since/until override it.
CRAWLER_WINDOW_OVERLAP_HOURS = 6
#: Per outlet, JSON Lines and clipping files; both of a run share one UTC %(time)s and one
#: random %(run_id)s (runs started in the same second get different names). For S3 use
#: "s3://bucket/%(name)s/%(name)s-%(time)s-%(run_id)s.jsonl" (extra `s3`; AWS_ENDPOINT_URL for
#: any S3-compatible store); for batch files add "batch_item_count" and %(batch_id)d to the
#: name; for gzip add "postprocessing": ["scrapy.extensions.postprocessing.GzipPlugin"] and
#: ".gz". -o/-O on the command line replace these feeds.
FEEDS = {
    "output/%(name)s/%(name)s-%(time)s-%(run_id)s.jsonl": {
        "format": "jsonlines",
        "store_empty": False,
    },
    "output/%(name)s/%(name)s-%(time)s-%(run_id)s.txt": {
        "format": "clipping",
        "store_empty": False,
    },
}
FEED_URI_PARAMS = "crawler.store.feeds.one_time_per_run"
#: Storages that report success or failure to the delivery extension; local files appear
#: only when complete (crawler.store.feeds).
FEED_STORAGES = {
    "": "crawler.store.feeds.FileFeedStorage",
    "file": "crawler.store.feeds.FileFeedStorage",
    "s3": "crawler.store.feeds.S3FeedStorage",
    "gs": "crawler.store.feeds.GCSFeedStorage",
    "ftp": "crawler.store.feeds.FTPFeedStorage",
    "ftps": "crawler.store.feeds.FTPFeedStorage",
    "stdout": "crawler.store.feeds.StdoutFeedStorage",
}

# --- Hostile web (crawler/downloader/: guards, backoff; DOWNLOADER_MIDDLEWARES below) -----------
#: Wait before retrying a 429/503 without Retry-After: this many seconds, doubled per retry...
CRAWLER_RETRY_BACKOFF_BASE = 1.0
#: ...and never longer than this, Retry-After included (a longer ask is cut to this).
CRAWLER_RETRY_MAX_DELAY = 60.0

# --- Page reading in worker processes (crawler/extraction/read_ahead.py) ---------------------
#: Worker processes reading article pages while the crawl's thread goes on crawling; 0: every
#: page is read in the crawl's process; "auto": one worker when the process may use two CPUs or
#: more (affinity and container quota), else 0. One pool per process, shared by its crawls
#: (crawlall). More articles a minute for a little more CPU an article (README, Performance).
CRAWLER_READ_PROCESSES = "auto"
#: Article pages of a run read in the crawl's own process before the workers start, so that a
#: run of a few new articles does not start them (about 0.4 s of CPU each).
CRAWLER_READ_AHEAD_AFTER = 100

# --- Monitors at spider close (crawler/extensions/monitors.py) ------------------------------
#: Exit 9 when new articles were listed and none became an item, exit 10 on a warning.
#: Share of delivered articles that must carry a kab_kota region (title, published, body: all).
CRAWLER_MONITOR_MIN_KAB_KOTA = 0.5
#: Share of articles with a field from the generic fallback above which "layout changed?" fires.
CRAWLER_MONITOR_MAX_FALLBACK_SHARE = 0.5
#: Coverage and fallback shares are judged only on at least this many parsed articles.
CRAWLER_MONITOR_MIN_ITEMS = 3

# --- Cluster (crawler/cluster/profile.py; extra `cluster`) ----------------------------------------
#: Redis of a cluster of crawler processes, e.g. "redis://redis.lan:6379/0"; also read from the
#: environment variable of the same name. Set: scrapy-redis scheduler and duplicate filter (one
#: shared, persistent article frontier) and the Redis delivered-store. Empty: one machine.
CRAWLER_REDIS_URL = ""
#: Seconds after which the articles a dead process had taken may be requested by another.
CRAWLER_CLUSTER_LEASE_SECONDS = 60.0
#: One cluster run: a discovery source fetched by one member is skipped by the others this long
#: (keep it a little below the interval between scheduled runs).
CRAWLER_CLUSTER_RUN_SECONDS = 600.0
#: A frontier key (queue, fingerprints, claims) not written to for this long expires.
CRAWLER_CLUSTER_KEEP_SECONDS = 7 * 24 * 3600.0
#: How often a member waiting for the cluster (or for a politeness grant) looks again.
CRAWLER_CLUSTER_POLL_SECONDS = 0.2
#: Prefix of the delivered-store's and leases' Redis keys (scrapy-redis keys: <spider>:requests).
CRAWLER_REDIS_PREFIX = "crawler"
ADDONS = {
    "crawler.cluster.profile.ClusterAddon": 0,
    "crawler.downloader.user_agent.UserAgentAddon": 0,
}

# --- Components, in the order they act -----------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Retries of 429/503 wait (Retry-After, else doubling); see crawler.downloader.backoff.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.downloader.backoff.BackoffRetryMiddleware": 550,
    # Block pages are recognised after retries, before decompression; see
    # crawler.downloader.blocking.
    "crawler.downloader.blocking.BlockedPageMiddleware": 555,
    # Decompression with a size bound (gzip bombs); see crawler.downloader.guards.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.downloader.guards.BoundedDecompressionMiddleware": 590,
    # Scrapy's meta refresh, without decoding a page that cannot hold one.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.downloader.meta_refresh.PrecheckedMetaRefreshMiddleware": 580,
    # Before RedirectMiddleware (600): loops and off-site redirects fail under a name.
    "crawler.downloader.guards.RedirectGuardMiddleware": 610,
    # Closest to the engine: article pages read in worker processes before their callback.
    "crawler.extraction.read_ahead.ReadAheadMiddleware": 50,
    # Closest to the downloader: what was received is archived, or served from an archive.
    "crawler.archive.capture.WarcCaptureMiddleware": 950,
    "crawler.archive.replay.WarcReplayMiddleware": 960,
}
EXTENSIONS = {
    # Credentials masked in every log line, from the first one on.
    "crawler.extensions.redaction.SecretMaskingExtension": 10,
    # An unreachable robots.txt in one INFO line, without a traceback.
    "crawler.extensions.quiet_logs.QuietLogsExtension": 20,
    # Commit articles to the delivered-store once their feeds are stored.
    "crawler.extensions.delivery.DeliveryExtension": 480,
    # Feed files that never reached storage are counted (they make the run fail).
    "crawler.extensions.feedwatch.FeedWatchExtension": 490,
    # Monitors before the summary, so their verdicts reach the summary line and exit status.
    "crawler.extensions.monitors.MonitorExtension": 495,
    "crawler.extensions.summary.SummaryExtension": 500,
    "crawler.extensions.progress.ProgressExtension": 510,
    # Last, so that it freezes what every other component set up when the spider opened.
    "crawler.extensions.garbage_collection.GarbageCollectionTuning": 900,
}
#: Python's garbage collector in a crawl (crawler.extensions.garbage_collection).
CRAWLER_GC_FREEZE_START_UP = True
CRAWLER_GC_THRESHOLD = 50_000

#: No control endpoint in an unattended crawl: Scrapy's remote control (2.19+: a localhost
#: HTTP server that runs posted Python, its token written under ~/.local/state/scrapy) and
#: its telnet console are switched off; ``-s REMOTE_CONTROL_ENABLED=True`` for a debug session.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
