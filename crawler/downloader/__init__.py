"""The downloader side: download handlers and downloader middlewares.

What stands between the engine and the network (``DOWNLOAD_HANDLERS`` and
``DOWNLOADER_MIDDLEWARES`` in ``crawler.settings``), and the User-Agent add-on.
"""
