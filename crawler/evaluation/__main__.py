"""``python -m crawler.evaluation``: precision, recall and F1 of every enrichment task.

Regions and parties are scored here on the team's labelled sets; sentiment figures come from
``crawler.evaluation.sentiment_eval.evaluate_sentiment()`` when that module is installed.
``--errors`` also lists the articles a tagger got wrong; ``--check`` exits with status 1
when regions or parties miss their targets.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from crawler.evaluation import (
    PARTY_MIN_PRECISION,
    PARTY_MIN_RECALL,
    REGION_MIN_PRECISION,
    REGION_MIN_RECALL,
    TaskReport,
    evaluate_parties,
    evaluate_regions,
)

SENTIMENT_MODULE = "crawler.evaluation.sentiment_eval"


def print_report(report: TaskReport, out: TextIO, show_errors: bool) -> None:
    scores = report.scores
    print(
        f"{report.task:<10} cases={len(report.cases):<4} precision={scores.precision:.3f} "
        f"recall={scores.recall:.3f} f1={scores.f1:.3f} "
        f"(tp={scores.true_positives} fp={scores.false_positives} fn={scores.false_negatives}; "
        f"first label right: {report.first_label_accuracy:.3f})",
        file=out,
    )
    if show_errors:
        for case in report.errors:
            print(f"    {case.case_id}: expected {case.expected}, got {case.predicted}", file=out)


def print_value(name: str, value: Any, out: TextIO, indent: int = 0) -> None:
    """Nested mappings as indented lines, so any result shape of the sentiment helper reads."""
    pad = "  " * indent
    if isinstance(value, Mapping):
        print(f"{pad}{name}:", file=out)
        for key, item in value.items():
            print_value(str(key), item, out, indent + 1)
    elif isinstance(value, float):
        print(f"{pad}{name}: {value:.3f}", file=out)
    else:
        print(f"{pad}{name}: {value}", file=out)


def print_sentiment(out: TextIO) -> bool:
    """Sentiment figures, or a line saying why there are none; False when evaluation failed."""
    if importlib.util.find_spec(SENTIMENT_MODULE) is None:
        print(f"sentiment  missing: {SENTIMENT_MODULE} is not installed", file=out)
        return True
    try:
        result = importlib.import_module(SENTIMENT_MODULE).evaluate_sentiment()
    except Exception as error:  # the report goes on; the failure is shown, not hidden
        print(f"sentiment  failed: {type(error).__name__}: {error}", file=out)
        return False
    print_value("sentiment", result, out)
    return True


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.evaluation", description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list wrongly tagged articles")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    regions, parties = evaluate_regions(), evaluate_parties()
    print_report(regions, out, args.errors)
    print_report(parties, out, args.errors)
    sentiment_ok = print_sentiment(out)
    targets_met = (
        regions.scores.precision >= REGION_MIN_PRECISION
        and regions.scores.recall >= REGION_MIN_RECALL
        and parties.scores.precision >= PARTY_MIN_PRECISION
        and parties.scores.recall >= PARTY_MIN_RECALL
    )
    return 1 if args.check and not (targets_met and sentiment_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
