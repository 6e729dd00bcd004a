"""Scrapy settings for unsilo: polite by default, tuned so extraction is the only real cost.

Everything here can be overridden the Scrapy way (``-s NAME=value``, a project's own
settings) or through ``unsilo audit`` options and config files (``unsilo.config``). Only the
``UNSILO_*`` names are ours; they are settings, never read from the environment, which
carries tokens only (the CLI warns about an exported ``UNSILO_DB`` and the like).
"""

from unsilo import __version__

BOT_NAME = "unsilo"
SPIDER_MODULES = ["unsilo.spiders"]
NEWSPIDER_MODULE = "unsilo.spiders"

# Identify ourselves, with a contact URL, and obey robots.txt as Google reads it.
# robots.txt is fetched as RFC 9309 says (unsilo/robots_fetch.py): 4xx = no rules, 5xx or no answer
# (after the retries) = nothing may be fetched, at most 5 redirects, the first 500 KiB parsed.
# ROBOTSTXT_USER_AGENT is whose rules are obeyed: `--robots-user-agent Googlebot` (or
# [crawl] robots_user_agent) audits a shop that allows only search engines, as Googlebot would
# be allowed; the User-Agent header stays unsilo's own.
USER_AGENT = f"unsilo/{__version__} (+https://github.com/unsilo/unsilo; SEO audit crawler)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "unsilo"
# Google's robots.txt rules (longest match, groups, percent-encoding), not Protego's reading.
ROBOTSTXT_PARSER = "unsilo.robots_rules.GoogleRobotParser"

# Politeness: a few parallel requests per shop, and AutoThrottle backing off when the
# shop slows down. `unsilo audit --demo` and the benchmark switch AutoThrottle off because
# they crawl a server on 127.0.0.1 that we own.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 10
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0

# Every response is a fact: let 4xx/5xx reach the spider instead of being dropped.
HTTPERROR_ALLOW_ALL = True
RETRY_ENABLED = True
RETRY_TIMES = 2
# A 429 or 503 with Retry-After slows the host down and is asked again after the wait
# (unsilo/middlewares.py), at most this many times and never for a wait over this many
# seconds; then the 429/503 is the page's recorded status.
UNSILO_RETRY_AFTER_TIMES = 3
UNSILO_RETRY_AFTER_MAX = 60.0
DOWNLOAD_TIMEOUT = 30
# Guards against huge pages and decompression bombs (applies to the decompressed size).
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "unsilo.robots_fetch.RfcRobotsTxtMiddleware": 100,
    "unsilo.middlewares.TrapSkipMiddleware": 110,
    "unsilo.middlewares.RetryAfterMiddleware": 560,  # sees a 429/503 before RetryMiddleware
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "unsilo.middlewares.RecordingRedirectMiddleware": 600,
}
# A meta refresh is recorded as a fact of the page, not followed silently.
METAREFRESH_ENABLED = False

# Bounds (0 = none) that a real shop never meets but a spider trap does; `unsilo audit
# --max-pages/--max-depth` (or [crawl] max_pages/max_depth) change them. A run that stops at
# one is `partial`, and its reason names the bound.
CLOSESPIDER_PAGECOUNT = 200_000
DEPTH_LIMIT = 50
DEPTH_STATS_VERBOSE = False
# Breadth-first by click depth (Scrapy's FAQ: DEPTH_PRIORITY=1 with FIFO queues): shallow
# shop pages come before whatever a trap keeps adding deeper down.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
# Spider traps (spiders/traps.py): a query parameter or path pattern whose fetched pages
# brought no new content this many times is a trap: the parameter is dropped from later
# links, the pattern no longer followed, and a `crawl_trap` finding names it (0 = off).
UNSILO_TRAP_REPEATS = 50
# Sitemap-only URLs wait for the crawl to go idle; a crawl running wide (links waiting beyond
# UNSILO_MAX_IN_FLIGHT) lets one in per page done, once pages this deep are done.
UNSILO_SITEMAP_AFTER_DEPTH = 3

# URL scope (spiders/shop.py, unsilo/urls.py): lists of Python regular expressions searched
# in the absolute URL, as Scrapy's LinkExtractor allow/deny; with `-s`, a JSON list or one
# pattern. Only links matching an include pattern (when any) and no exclude pattern are
# followed; the start URL is always fetched. UNSILO_DROP_QUERY names query parameters
# (`*` = any run) that are removed before a URL is requested and from every URL key.
UNSILO_INCLUDE: list[str] = []
UNSILO_EXCLUDE: list[str] = []
UNSILO_DROP_QUERY: list[str] = []

# The shop spider fetches the head (64 KiB) of each distinct og:image of its indexable pages
# once, after the pages, for the image findings: at most this many images a run.
UNSILO_OG_IMAGE_BUDGET = 300

# The social spider reads each profile's posts of the last UNSILO_SOCIAL_WINDOW_DAYS days,
# at most UNSILO_SOCIAL_MAX_POSTS per profile ([social] window_days / max_posts in a config).
UNSILO_SOCIAL_WINDOW_DAYS = 90
UNSILO_SOCIAL_MAX_POSTS = 200

# Storage (unsilo.pipeline.storage_pipeline): with UNSILO_DB, that DuckDB file; without it
# (Scrapyd, a plain `scrapy crawl`), a feed job folder under UNSILO_FEED_DIR that
# `unsilo load` brings in later, so no job ever writes a database in its working directory.
ITEM_PIPELINES = {"unsilo.pipeline.storage_pipeline.StoragePipeline": 300}

# unsilo's own settings
UNSILO_DB = None  # the DuckDB file to store in (the CLI sets it: --db, default unsilo.duckdb)
UNSILO_RUN_ID = None  # set by the CLI, which creates the run row itself
UNSILO_RESUME = False  # set by the CLI: the run named by UNSILO_RUN_ID is being continued
UNSILO_BATCH_SIZE = 5000  # rows per write (whole pages: a page's links go with it)
UNSILO_DB_MEMORY_LIMIT = "48MB"  # DuckDB buffer pool while crawling: keeps memory flat
UNSILO_FEED_DIR = None  # feed job folders go here (default unsilo-feeds/ when no UNSILO_DB)

UNSILO_STATS_FILE = None  # write the crawl stats here as JSON when the crawl ends

# The page limit counts shop pages only, not the og:image probes after them (page_limit.py).
EXTENSIONS = {
    # a user's -o feed: one record per page, nested parts as JSON in CSV/XML (feed_export.py)
    "scrapy.extensions.feedexport.FeedExporter": None,
    "unsilo.feed_export.PageFeedExporter": 0,
    "scrapy.extensions.closespider.CloseSpider": None,
    "unsilo.page_limit.ShopPageLimit": 0,
    "unsilo.stats_file.StatsFile": 500,
}
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {
    "csv": "unsilo.feed_export.FlatCsvItemExporter",
    "xml": "unsilo.feed_export.FlatXmlItemExporter",
    "marshal": "unsilo.feed_export.PlainMarshalItemExporter",
    "pickle": "unsilo.feed_export.PlainPickleItemExporter",
}
LOG_LEVEL = "INFO"

# The signals step (spiders/signals.py): sources ask by domain first; a source that can only
# ask page by page asks about this many pages, most valuable first, per run (answers stay
# fresh for a week and are reused, so the next run asks the next pages), and never makes
# more than UNSILO_SIGNALS_MAX_REQUESTS calls, follow-ups included — per endpoint for a source
# that asks each page at several (Lemmy: per instance, so 200 pages × 5 instances complete).
UNSILO_SIGNALS_URL_BUDGET = 200
UNSILO_SIGNALS_MAX_REQUESTS = 1000
