"""The generic path on the peer extraction benchmark in ../shared stays above its floor.

``python -m crawler.bench.extraction`` prints the full comparison with trafilatura and the
CPU figures; this test holds the quality floor only (F1 >= 0.95), so CI catches a
regression of the generic reader on pages of templates it has no layout for.
"""

from __future__ import annotations

import pytest

from crawler.bench.extraction import (
    DEFAULT_BENCHMARK,
    average,
    load_pages,
    ours,
    shingle_scores,
)

FLOOR_F1 = 0.95


def test_the_metric_follows_the_benchmarks_description() -> None:
    truth = "one two three four five six"
    assert shingle_scores(truth, truth) == (1.0, 1.0)
    assert shingle_scores(truth, "") == (0.0, 0.0)
    precision, recall = shingle_scores(truth, "one two three four five six seven eight")
    assert recall == 1.0 and precision == pytest.approx(3 / 5)
    precision, recall = shingle_scores(truth, "one two three four")
    assert precision == 1.0 and recall == pytest.approx(1 / 3)
    assert average([(1.0, 0.5), (0.5, 1.0)]).f1 == pytest.approx(0.75)


@pytest.mark.skipif(
    not (DEFAULT_BENCHMARK / "ground-truth.json").is_file(),
    reason=f"extraction benchmark not found at {DEFAULT_BENCHMARK} (../shared is absent)",
)
def test_generic_path_f1_stays_above_the_floor() -> None:
    pages = load_pages(DEFAULT_BENCHMARK)
    assert len(pages) == 181
    scores = average([shingle_scores(page.truth, ours(page)) for page in pages])
    assert scores.f1 >= FLOOR_F1, (
        f"F1 {scores.f1:.3f} (P {scores.precision:.3f}, R {scores.recall:.3f})"
    )
