"""Item pipelines, in the order they are meant to run.

Suggested ``ITEM_PIPELINES``: NormalizePipeline 100, ValidatePipeline 200,
DuplicateUrlPipeline 300, DeliveredStorePipeline 400, EnrichPipeline 500
(enrich last so the costly work is only done for articles that will be delivered).
"""

from crawler.pipelines.dedup import DUPLICATE_IN_RUN, DuplicateUrlPipeline
from crawler.pipelines.delivered import (
    ALREADY_DELIVERED,
    DeliveredStore,
    DeliveredStorePipeline,
    NullDeliveredStore,
)
from crawler.pipelines.enrich import Enricher, EnrichPipeline
from crawler.pipelines.normalize import NormalizePipeline
from crawler.pipelines.validate import (
    DROPPED_STATS_PREFIX,
    VALIDATION_DROP_REASONS,
    ValidatePipeline,
)

#: Every reason an item can be dropped for; stats keys are ``crawler/dropped/<reason>``.
DROP_REASONS = (*VALIDATION_DROP_REASONS, DUPLICATE_IN_RUN, ALREADY_DELIVERED)

__all__ = [
    "ALREADY_DELIVERED",
    "DROPPED_STATS_PREFIX",
    "DROP_REASONS",
    "DUPLICATE_IN_RUN",
    "DeliveredStore",
    "DeliveredStorePipeline",
    "DuplicateUrlPipeline",
    "EnrichPipeline",
    "Enricher",
    "NormalizePipeline",
    "NullDeliveredStore",
    "ValidatePipeline",
]
