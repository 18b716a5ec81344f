"""Article extraction: a page in, an ``ExtractedArticle`` out (``article.extract_article``).

One module per layer (``jsonld``, ``meta``, ``selectors``, the generic reader in ``generic``,
``story``, ``density`` and ``boilerplate``), the choices between them per field (``article``,
``published``, ``authors``), body cleaning, datelines, and an outlet's layouts and paged
stories (``layouts``, ``pagination``).
"""

from crawler.extraction.article import extract_article
from crawler.extraction.result import ExtractedArticle
from crawler.extraction.selectors import OutletSelectors
from crawler.extraction.structured import StructuredData, read_structured

__all__ = [
    "ExtractedArticle",
    "OutletSelectors",
    "StructuredData",
    "extract_article",
    "read_structured",
]
