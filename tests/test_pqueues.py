"""The counted priority queue hands requests out in exactly Scrapy's order."""

from __future__ import annotations

import random

import pytest
from scrapy import Request
from scrapy.pqueues import ScrapyPriorityQueue
from scrapy.squeues import FifoMemoryQueue, LifoMemoryQueue
from scrapy.utils.test import get_crawler

from crawler.pqueues import CountedPriorityQueue


@pytest.mark.parametrize("seed", range(20))
def test_same_order_length_and_next_priority_as_scrapy(seed: int) -> None:
    chooser = random.Random(seed)
    crawler = get_crawler()
    ours = CountedPriorityQueue(crawler, LifoMemoryQueue, "", start_queue_cls=FifoMemoryQueue)
    scrapys = ScrapyPriorityQueue(crawler, LifoMemoryQueue, "", start_queue_cls=FifoMemoryQueue)
    popped: tuple[list[Request | None], list[Request | None]] = ([], [])
    for step in range(300):
        if chooser.random() < 0.6:
            start = chooser.random() < 0.2
            meta = {"is_start_request": start}
            request = Request(
                f"https://x.test/{step}", priority=chooser.randrange(-30, 5), meta=meta
            )
            ours.push(request)
            scrapys.push(request)
        else:
            popped[0].append(ours.pop())
            popped[1].append(scrapys.pop())
        assert (len(ours), ours.curprio) == (len(scrapys), scrapys.curprio)
    while len(scrapys):
        popped[0].append(ours.pop())
        popped[1].append(scrapys.pop())
    assert popped[0] == popped[1]
    assert len(ours) == 0 and ours.pop() is None
