"""Request meta keys the outlet spiders set and the cluster frontier reads.

Here, below both, so the frontier can tell article requests from discovery without importing
the spiders.
"""

#: Request meta keys: the publication time discovery reported for an article (helps choose
#: its layout), and for the further pages of a paged article its state and page number.
DISCOVERED_META = "discovered_published"
PAGED_META = "paged_article"
PAGE_NUMBER_META = "article_page"
#: The kind of discovery source a request reads (robots, sitemap, feed, listing, front-page,
#: wp-rest): the cluster claims such requests for one member (``crawler.cluster.sources``).
DISCOVERY_META = "discovery_source"
