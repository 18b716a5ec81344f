"""Measure the sentiment model where it is meant to work, and where it was trained.

Three kinds of text, scored apart:

* the team's news set (``sentiment_news.jsonl`` beside this module: constructed headlines and
  leads in the style of Central Java news, never trained on), read exactly as the enricher
  reads an article, neutral threshold included; this is the figure that matters for clippings;
* the SmSA test split and the NusaX-senti Indonesian and Javanese test splits from
  ``../shared/data/sentiment/`` (reviews and comments, with their own neutral class), scored by
  the most probable of the three classes, as those benchmarks are usually reported. They are
  skipped, saying so, when ../shared is absent.

``evaluate_sentiment()`` returns plain nested dicts, so ``python -m crawler.evaluation`` can
print them; ``python -m crawler.evaluation.sentiment_eval`` prints them alone.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from crawler.enrichment.sentiment import LABELS, NEUTRAL, SentimentModel, load_model

#: ../shared beside the repository root.
SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
#: Where the training and benchmark sets live inside ../shared.
SENTIMENT_DATA = Path("data") / "sentiment"
#: The team's news set, a resource of this package.
NEWS_SET = "sentiment_news.jsonl"
#: Floors (macro-F1) just under what the shipped model reaches; tests/test_sentiment.py holds
#: the model to them. The model is trained for news tone, with reviews and comments at a small
#: weight, so it scores lower on those benchmarks than a review classifier would.
MIN_MACRO_F1 = {"smsa_test": 0.66, "nusax_indonesian_test": 0.72, "news": 0.88}
#: Benchmark files (relative to SENTIMENT_DATA) by the name they are reported under.
BENCHMARKS = {
    "smsa_test": "smsa_test.tsv",
    "nusax_indonesian_test": "nusax_senti_indonesian_test.csv",
    "nusax_javanese_test": "nusax_senti_javanese_test.csv",
}
#: The datasets' English labels in the project's words.
DATASET_LABELS = {"positive": "positif", "negative": "negatif", "neutral": NEUTRAL}


@dataclass(frozen=True)
class LabelledText:
    """One benchmark or training text; ``key`` is the dataset's row id where it has one."""

    text: str
    label: str
    key: str = ""


@dataclass(frozen=True)
class NewsCase:
    """One constructed article of the news set: title, lead paragraphs and its tone."""

    case_id: str
    title: str
    lead: list[str]
    label: str


def read_smsa(path: Path) -> list[LabelledText]:
    """SmSA rows: text TAB label, one per line, no header."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                text, label = line.rstrip("\n").rsplit("\t", 1)
                rows.append(LabelledText(text, DATASET_LABELS[label], str(number)))
    return rows


def read_nusax(path: Path) -> list[LabelledText]:
    """NusaX-senti rows: CSV with columns id, text, label."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            LabelledText(row["text"], DATASET_LABELS[row["label"]], row["id"])
            for row in csv.DictReader(fh)
        ]


def read_benchmark(path: Path) -> list[LabelledText]:
    return read_smsa(path) if path.suffix == ".tsv" else read_nusax(path)


def load_news_set(path: Path | None = None) -> list[NewsCase]:
    """The news set's cases (the shipped set unless *path* is given); ``_comment`` is skipped."""
    cases = []
    source = path or files("crawler.evaluation").joinpath(NEWS_SET)
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            record = json.loads(line)
            if "_comment" in record:
                continue
            cases.append(NewsCase(record["id"], record["title"], record["lead"], record["label"]))
    return cases


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, int]]:
    """Counts by gold label (outer) and predicted label (inner)."""
    matrix = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        matrix[g][p] += 1
    return matrix


def label_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 of each label."""
    matrix = confusion(gold, predicted)
    scores = {}
    for label in LABELS:
        hits = matrix[label][label]
        found = sum(matrix[g][label] for g in LABELS)
        relevant = sum(matrix[label].values())
        precision = hits / found if found else 0.0
        recall = hits / relevant if relevant else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = {"precision": precision, "recall": recall, "f1": f1}
    return scores


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean of the three labels' F1."""
    return sum(s["f1"] for s in label_scores(gold, predicted).values()) / len(LABELS)


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0


def evaluate_benchmark(model: SentimentModel, rows: Sequence[LabelledText]) -> dict[str, Any]:
    gold = [row.label for row in rows]
    predicted = [model.predict_class(row.text) for row in rows]
    return {
        "texts": len(rows),
        "accuracy": accuracy(gold, predicted),
        "macro_f1": macro_f1(gold, predicted),
    }


def evaluate_news(model: SentimentModel, cases: Sequence[NewsCase]) -> dict[str, Any]:
    """The news set read as articles: title plus lead, with the neutral threshold."""
    results = [model.classify(case.title, case.lead) for case in cases]
    gold = [case.label for case in cases]
    predicted = [result.label for result in results]
    return {
        "texts": len(cases),
        "accuracy": accuracy(gold, predicted),
        "macro_f1": macro_f1(gold, predicted),
        "neutral_threshold": model.neutral_threshold,
        "per_label": label_scores(gold, predicted),
        "confusion (gold -> predicted)": confusion(gold, predicted),
        "neutral_with_nonzero_strength": sum(
            r.label == NEUTRAL and r.strength != 0 for r in results
        ),
    }


def evaluate_sentiment(
    shared_dir: Path = SHARED_DIR, model: SentimentModel | None = None
) -> dict[str, Any]:
    """Accuracy and macro-F1 on the news set and on the SmSA / NusaX test splits."""
    model = model or load_model()
    result: dict[str, Any] = {"news": evaluate_news(model, load_news_set())}
    data_dir = shared_dir / SENTIMENT_DATA
    for name, filename in BENCHMARKS.items():
        path = data_dir / filename
        if path.is_file():
            result[name] = evaluate_benchmark(model, read_benchmark(path))
        else:
            result[name] = f"skipped: {path} is absent (../shared not available)"
    result["targets (macro-F1)"] = dict(MIN_MACRO_F1)
    return result


def _print(name: str, value: Any, indent: int = 0) -> None:
    pad = "  " * indent
    if isinstance(value, Mapping):
        print(f"{pad}{name}:")
        for key, item in value.items():
            _print(str(key), item, indent + 1)
    elif isinstance(value, float):
        print(f"{pad}{name}: {value:.3f}")
    else:
        print(f"{pad}{name}: {value}")


if __name__ == "__main__":
    _print("sentiment", evaluate_sentiment(Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED_DIR))
