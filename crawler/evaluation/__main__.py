"""``python -m crawler.evaluation``: precision, recall and F1 of every enrichment task.

Two kinds of figure, both computed now, from the files named in the output:

* the **dev set** of real news (``../shared/eval/news-dev.jsonl``), run through the item
  pipeline's enrichment step (:mod:`crawler.evaluation.news_dev`): what users get. The taggers
  and the sentiment model were tuned while looking at all of it, so these are tuned-on
  figures, not a measurement on unseen text;
* the **team sets** beside this module: sentences the team wrote together with the rules,
  a regression suite (a drop means a rule broke), plus sentiment on the team's news set and
  on the SmSA / NusaX test splits.

``--errors`` also lists what a tagger got wrong; ``--check`` exits with status 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import statistics
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from crawler.evaluation import (
    PARTY_MIN_PRECISION,
    PARTY_MIN_RECALL,
    REGION_MIN_PRECISION,
    REGION_MIN_RECALL,
    Scores,
    TaskReport,
    evaluate_parties,
    evaluate_regions,
)
from crawler.evaluation.news_dev import (
    DEV_SET,
    SHARED_DIR,
    DevReport,
    evaluate_dev,
    load_dev_set,
)

SENTIMENT_MODULE = "crawler.evaluation.sentiment_eval"
#: The issue's targets on the dev set.
DEV_TARGETS = {
    "regions": (0.95, 0.97),
    "parties": (0.97, 0.95),
    "sentiment_macro_f1": 0.75,
    "ms_per_article": 2.0,
}


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


def _set_line(name: str, scores: Scores, target: tuple[float, float]) -> str:
    return (
        f"  {name:<10} precision={scores.precision:.3f} recall={scores.recall:.3f} "
        f"f1={scores.f1:.3f} (tp={scores.true_positives} fp={scores.false_positives} "
        f"fn={scores.false_negatives}; target P>={target[0]:.2f} R>={target[1]:.2f})"
    )


def print_dev_report(report: DevReport, path: Path, out: TextIO, show_errors: bool) -> None:
    """The dev set's figures, the time per article and, on request, every error."""
    print(
        f"dev set    {path} ({report.records} real news excerpts; every record was looked at "
        "while tuning, so these are tuned-on figures)",
        file=out,
    )
    print(_set_line("regions", report.regions, DEV_TARGETS["regions"]), file=out)
    print(_set_line("parties", report.parties, DEV_TARGETS["parties"]), file=out)
    print(
        f"  {'sentiment':<10} accuracy={report.sentiment_accuracy:.3f} "
        f"macro_f1={report.sentiment_macro_f1:.3f} "
        f"(target macro-F1>={DEV_TARGETS['sentiment_macro_f1']:.2f})",
        file=out,
    )
    for label, scores in report.sentiment_per_label().items():
        print(
            f"    {label:<8} precision={scores['precision']:.3f} recall={scores['recall']:.3f} "
            f"f1={scores['f1']:.3f}",
            file=out,
        )
    if report.enricher_ms:
        rounds = len(next(iter(report.enricher_ms.values())))
        print(
            f"  CPU ms per article (median of {rounds} rounds over the set, [min-max]):",
            file=out,
        )
        total = 0.0
        for name, values in report.enricher_ms.items():
            median = statistics.median(values)
            total += median
            print(f"    {name:<18} {median:.3f} [{min(values):.3f}-{max(values):.3f}]", file=out)
        print(
            f"    {'all enrichers':<18} {total:.3f} (target <= {DEV_TARGETS['ms_per_article']} ms)",
            file=out,
        )
    if report.enricher_failures:
        print(f"  enricher failures: {report.enricher_failures}", file=out)
    if show_errors:
        for error in report.errors:
            print(
                f"    {error.record_id} {error.task}: missed {error.missed}, wrong {error.wrong}",
                file=out,
            )


def dev_targets_met(report: DevReport) -> bool:
    regions_p, regions_r = DEV_TARGETS["regions"]
    parties_p, parties_r = DEV_TARGETS["parties"]
    sentiment_ms = report.enricher_ms.get("SentimentEnricher", [0.0])
    return (
        report.regions.precision >= regions_p
        and report.regions.recall >= regions_r
        and report.parties.precision >= parties_p
        and report.parties.recall >= parties_r
        and report.sentiment_macro_f1 >= DEV_TARGETS["sentiment_macro_f1"]
        and statistics.median(sentiment_ms) <= DEV_TARGETS["ms_per_article"]
    )


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.evaluation", description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list wrongly tagged articles")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--dev-set", type=Path, default=SHARED_DIR / DEV_SET, help="the labelled real news"
    )
    args = parser.parse_args(argv)

    dev_ok = True
    if args.dev_set.is_file():
        dev = evaluate_dev(load_dev_set(args.dev_set))
        print_dev_report(dev, args.dev_set, out, args.errors)
        dev_ok = dev_targets_met(dev)
    else:
        print(f"dev set    skipped: {args.dev_set} is absent (../shared not available)", file=out)
    print("team sets  (written together with the rules: a regression suite)", file=out)
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
    return 1 if args.check and not (targets_met and sentiment_ok and dev_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
