"""Measure the region and party taggers on the team's labelled sets.

The sets (``regions.jsonl``, ``parties.jsonl`` beside this module) are constructed articles
in the style of Central Java news, each with the labels a careful analyst would give. Scores
are micro-averaged over (article, label) pairs, so every wrong or missing tag counts once.
``python -m crawler.evaluation`` prints them together with the sentiment figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from crawler.enrichment.parties import tag_parties
from crawler.enrichment.regions import tag_regions

#: Targets from the issue; tests/test_evaluation.py holds the taggers to them.
REGION_MIN_PRECISION = 0.95
REGION_MIN_RECALL = 0.90
PARTY_MIN_PRECISION = 0.97
PARTY_MIN_RECALL = 0.90


@dataclass(frozen=True)
class Scores:
    """Counts of a set-valued tagger against gold labels, and the usual ratios."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        relevant = self.true_positives + self.false_negatives
        return self.true_positives / relevant if relevant else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class CaseResult:
    """One labelled article: what it should get and what the tagger gave, in order."""

    case_id: str
    expected: list[str]
    predicted: list[str]

    @property
    def correct(self) -> bool:
        return set(self.expected) == set(self.predicted)


@dataclass
class TaskReport:
    """The scores of one tagger over one labelled set."""

    task: str
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def scores(self) -> Scores:
        tp = fp = fn = 0
        for case in self.cases:
            expected, predicted = set(case.expected), set(case.predicted)
            tp += len(expected & predicted)
            fp += len(predicted - expected)
            fn += len(expected - predicted)
        return Scores(tp, fp, fn)

    @property
    def first_label_accuracy(self) -> float:
        """Share of articles with labels whose most relevant tag is the expected first one."""
        ranked = [case for case in self.cases if case.expected]
        if not ranked:
            return 1.0
        hits = sum(
            bool(case.predicted) and case.predicted[0] == case.expected[0] for case in ranked
        )
        return hits / len(ranked)

    @property
    def errors(self) -> list[CaseResult]:
        return [case for case in self.cases if not case.correct]


def load_cases(path: Path | None, default_name: str) -> Iterator[dict[str, Any]]:
    """Records of a labelled JSON Lines set; the leading ``_comment`` record is skipped."""
    source = path or files("crawler.evaluation").joinpath(default_name)
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                if "_comment" not in record:
                    yield record


def _evaluate(
    task: str, records: Iterator[dict[str, Any]], predict: Callable[[dict[str, Any]], list[str]]
) -> TaskReport:
    report = TaskReport(task)
    for record in records:
        report.cases.append(CaseResult(record["id"], list(record["expected"]), predict(record)))
    return report


def evaluate_regions(path: Path | None = None) -> TaskReport:
    """Run the region tagger over the region set (``regions.jsonl`` unless *path* is given)."""

    def predict(record: dict[str, Any]) -> list[str]:
        tags = tag_regions(
            record.get("title"), record.get("dateline"), record["body"], record.get("home_region")
        )
        return [tag.region.label for tag in tags]

    return _evaluate("regions", load_cases(path, "regions.jsonl"), predict)


def evaluate_parties(path: Path | None = None) -> TaskReport:
    """Run the party tagger over the party set (``parties.jsonl`` unless *path* is given)."""

    def predict(record: dict[str, Any]) -> list[str]:
        return [tag.name for tag in tag_parties(record.get("title"), record["body"])]

    return _evaluate("parties", load_cases(path, "parties.jsonl"), predict)
