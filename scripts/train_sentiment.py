"""Train the sentiment model shipped as ``crawler/data/sentiment_model.json``.

    pip install -e '.[train]'          # scikit-learn: needed here only, never at run time
    python scripts/train_sentiment.py [--shared ../shared] [--ablation]

What it trains on
-----------------
* SmSA (IndoNLU) train + valid, NusaX-senti Indonesian and Javanese train + valid, all from
  ``../shared/data/sentiment/`` (CC BY-SA 4.0, see crawler/data/SENTIMENT-NOTICE.md);
* ``scripts/sentiment_supplement.tsv``: a few hundred short news-style sentences the team wrote,
  weighted :data:`SUPPLEMENT_WEIGHT`. The public sets are reviews and comments; without these
  sentences the model does not know news words ("longsor", "tewas", "dilantik") and reads
  every official statement as a complaint (``--ablation`` prints the difference).

What is kept out of training (every evaluation text)
----------------------------------------------------
The evaluation texts are the SmSA test split, the NusaX Indonesian *and* Javanese test splits
and the team's news set (crawler/evaluation/sentiment_news.jsonl). NusaX was built by editing
SmSA texts: 549 NusaX Indonesian texts equal an SmSA text once case, spaces and punctuation are
dropped, and most others are light edits of one (a word changed, a city renamed). So a
training text is dropped when it is a near duplicate of any evaluation text: equal after that
normalisation, or with a Jaccard similarity of at least :data:`NEAR_DUPLICATE_JACCARD` between
the character 5-gram sets of the normalised texts (unrelated SmSA texts stay below it; edited
copies lie above). NusaX Indonesian and Javanese rows with the same split and id are
translations of each other, so when one is dropped its parallel row goes too. Exact duplicates
inside the training pool are kept once. The counts are printed and stored in the model file.

How the model is chosen and calibrated
--------------------------------------
Multinomial logistic regression over binary word unigram + bigram features
(``crawler.enrichment.sentiment.features``, the same code inference runs), features seen in
fewer than :data:`MIN_DF` training texts left out. C (from :data:`C_GRID`) and the class
weighting (none, or "balanced": the test splits are more even than SmSA train, which is 58 %
positive and 10 % neutral) are chosen by the mean macro-F1 on the SmSA, NusaX Indonesian and
NusaX Javanese valid splits of a model fitted on the train splits; the final model is then
fitted on train + valid. Weights are centred per feature (softmax does
not change), features whose largest weight is below :data:`PRUNE_BELOW` dropped, and the rest
rounded, which keeps the file small.

The neutral threshold on |P(positif) - P(negatif)| is calibrated on the news set, never on the
review data, by the one-standard-error rule: the largest threshold whose macro-F1 on the set is
within one bootstrap standard error of the best one's (differences that small are noise on a
set of this size; among them, prefer calling an article neutral). Because
that uses the whole set, the figure reported for it is cross-validated: the same rule picks a
threshold on 4/5 of the set and labels the other 1/5, over 5 stratified folds repeated
:data:`CV_REPEATS` times; the mean macro-F1 is stored as ``cv_macro_f1``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.enrichment.sentiment import (  # noqa: E402
    LABELS,
    MODEL_FORMAT,
    MODEL_RESOURCE,
    SentimentModel,
    article_scope,
    features,
)
from crawler.evaluation.sentiment_eval import (  # noqa: E402
    BENCHMARKS,
    SENTIMENT_DATA,
    load_news_set,
    macro_f1,
    read_benchmark,
    read_nusax,
    read_smsa,
)

SUPPLEMENT_PATH = REPO / "scripts" / "sentiment_supplement.tsv"
NEAR_DUPLICATE_JACCARD = 0.25
SHINGLE = 5
MIN_DF = 2
C_GRID = (0.5, 1.0, 2.0)
CLASS_WEIGHTS = (None, "balanced")
VALID_SETS = ("smsa_valid", "nusax_indonesian_valid", "nusax_javanese_valid")
SUPPLEMENT_WEIGHT = 3.0
PRUNE_BELOW = 0.02
ROUND_DIGITS = 4
THRESHOLD_GRID = tuple(round(0.01 * i, 2) for i in range(1, 61))
BOOTSTRAP_SAMPLES = 200
CV_FOLDS = 5
CV_REPEATS = 10
NUSAX_LANGUAGES = ("indonesian", "javanese")


@dataclass(frozen=True)
class Example:
    """A training text with where it came from (``source``) and its row id."""

    text: str
    label: str
    source: str
    key: str = ""


def squash(text: str) -> str:
    """Letters and digits only, lower-cased: SmSA and NusaX spell the same text differently."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def shingles(text: str) -> frozenset[str]:
    flat = squash(text)
    return frozenset(flat[i : i + SHINGLE] for i in range(max(1, len(flat) - SHINGLE + 1)))


class NearDuplicateIndex:
    """The evaluation texts, to ask whether a training text is (an edited copy of) one."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.exact: set[str] = set()
        self.shingle_sets: list[frozenset[str]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        for text in texts:
            self.exact.add(squash(text))
            grams = shingles(text)
            for gram in grams:
                self.postings[gram].append(len(self.shingle_sets))
            self.shingle_sets.append(grams)

    def matches(self, text: str) -> bool:
        if squash(text) in self.exact:
            return True
        grams = shingles(text)
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(self.postings.get(gram, ()))
        return any(
            common / (len(grams) + len(self.shingle_sets[i]) - common) >= NEAR_DUPLICATE_JACCARD
            for i, common in shared.items()
        )


def read_supplement(path: Path = SUPPLEMENT_PATH) -> list[Example]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip() and not line.startswith("#"):
                label, text = line.rstrip("\n").split("\t")
                if label not in LABELS:
                    raise ValueError(f"{path}:{number}: unknown label {label!r}")
                rows.append(Example(text, label, "supplement", str(number)))
    return rows


def evaluation_texts(data_dir: Path) -> list[str]:
    """Every text any evaluation reads: benchmark test splits and the news set (whole, parts)."""
    texts = [
        row.text for filename in BENCHMARKS.values() for row in read_benchmark(data_dir / filename)
    ]
    for case in load_news_set():
        texts += [" ".join([case.title, *case.lead]), case.title, *case.lead]
    return texts


def public_examples(data_dir: Path, splits: Sequence[str]) -> list[Example]:
    examples = []
    for split in splits:
        examples += [
            Example(r.text, r.label, f"smsa_{split}", r.key)
            for r in read_smsa(data_dir / f"smsa_{split}.tsv")
        ]
        for language in NUSAX_LANGUAGES:
            path = data_dir / f"nusax_senti_{language}_{split}.csv"
            examples += [
                Example(r.text, r.label, f"nusax_{language}_{split}", r.key)
                for r in read_nusax(path)
            ]
    return examples


def without_evaluation_texts(
    examples: Sequence[Example], index: NearDuplicateIndex
) -> tuple[list[Example], dict[str, Any]]:
    """Drop near duplicates of evaluation texts, their NusaX translations, repeated texts."""
    near = [index.matches(example.text) for example in examples]
    dropped_near = Counter(e.source for e, is_near in zip(examples, near, strict=True) if is_near)
    dropped_parallel = {
        (_nusax_split(e.source), e.key)
        for e, is_near in zip(examples, near, strict=True)
        if is_near and e.source.startswith("nusax_")
    }
    kept, seen = [], set()
    dropped_translation: Counter[str] = Counter()
    dropped_repeat = 0
    for example, is_near in zip(examples, near, strict=True):
        if is_near:
            continue
        if (
            example.source.startswith("nusax_")
            and (_nusax_split(example.source), example.key) in dropped_parallel
        ):
            dropped_translation[example.source] += 1
            continue
        flat = squash(example.text)
        if flat in seen:
            dropped_repeat += 1
            continue
        seen.add(flat)
        kept.append(example)
    report = {
        "near_duplicates_of_evaluation_texts": dict(sorted(dropped_near.items())),
        "parallel_translations_of_those": dict(sorted(dropped_translation.items())),
        "repeated_texts": dropped_repeat,
    }
    return kept, report


def _nusax_split(source: str) -> str:
    """ "nusax_javanese_train" -> "train": the part parallel rows share."""
    return source.rsplit("_", 1)[1]


def fit(examples: Sequence[Example], c: float, class_weight: str | None) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(
        analyzer=lambda text: sorted(features([text])), binary=True, min_df=MIN_DF
    )
    matrix = vectorizer.fit_transform([e.text for e in examples])
    weights = [SUPPLEMENT_WEIGHT if e.source == "supplement" else 1.0 for e in examples]
    classifier = LogisticRegression(C=c, class_weight=class_weight, max_iter=5000)
    classifier.fit(matrix, [e.label for e in examples], sample_weight=weights)
    return vectorizer, classifier


def export(vectorizer: Any, classifier: Any, threshold: float) -> dict[str, Any]:
    """The fitted model as the weights file's content (no metadata yet)."""
    order = [list(classifier.classes_).index(label) for label in LABELS]
    coefficients = classifier.coef_[order]
    intercepts = classifier.intercept_[order]
    weights = {}
    for feature, column in sorted(vectorizer.vocabulary_.items()):
        vector = coefficients[:, column]
        centred = vector - vector.mean()
        if abs(centred).max() >= PRUNE_BELOW:
            weights[feature] = [round(float(w), ROUND_DIGITS) for w in centred]
    return {
        "format": MODEL_FORMAT,
        "labels": list(LABELS),
        "intercepts": [round(float(b - intercepts.mean()), ROUND_DIGITS) for b in intercepts],
        "neutral_threshold": threshold,
        "weights": weights,
    }


def decide(polarity: float, threshold: float) -> str:
    if abs(polarity) < threshold:
        return "neutral"
    return "positif" if polarity > 0 else "negatif"


def choose_threshold(polarities: Sequence[float], gold: Sequence[str]) -> float:
    """The largest threshold within one bootstrap standard error of the best macro-F1."""
    scores = {t: macro_f1(gold, [decide(p, t) for p in polarities]) for t in THRESHOLD_GRID}
    best = max(THRESHOLD_GRID, key=scores.__getitem__)
    error = bootstrap_standard_error(gold, [decide(p, best) for p in polarities])
    return max(t for t, score in scores.items() if score >= scores[best] - error)


def bootstrap_standard_error(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Standard deviation of macro-F1 over resamples of the cases (fixed seed: reproducible)."""
    rng = random.Random(0)
    values = []
    for _ in range(BOOTSTRAP_SAMPLES):
        sample = [rng.randrange(len(gold)) for _ in gold]
        values.append(macro_f1([gold[i] for i in sample], [predicted[i] for i in sample]))
    return statistics.stdev(values)


def cross_validated_macro_f1(polarities: Sequence[float], gold: Sequence[str]) -> float:
    from sklearn.model_selection import StratifiedKFold

    results = []
    for repeat in range(CV_REPEATS):
        predicted = [""] * len(gold)
        folds = StratifiedKFold(CV_FOLDS, shuffle=True, random_state=repeat)
        for train, test in folds.split(polarities, gold):
            threshold = choose_threshold([polarities[i] for i in train], [gold[i] for i in train])
            for i in test:
                predicted[i] = decide(polarities[i], threshold)
        results.append(macro_f1(gold, predicted))
    return sum(results) / len(results)


def news_polarities(model: SentimentModel) -> tuple[list[float], list[str]]:
    cases = load_news_set()
    polarities = []
    for case in cases:
        p = model.probabilities(article_scope(case.title, case.lead))
        polarities.append(p["positif"] - p["negatif"])
    return polarities, [case.label for case in cases]


def benchmark_scores(model: SentimentModel, data_dir: Path) -> dict[str, float]:
    scores = {}
    for name, filename in BENCHMARKS.items():
        rows = read_benchmark(data_dir / filename)
        scores[name] = macro_f1(
            [r.label for r in rows], [model.predict_class(r.text) for r in rows]
        )
    return scores


def train(data_dir: Path, use_supplement: bool = True) -> dict[str, Any]:
    """Dedupe, choose C, fit, export, calibrate; the weights file's content with metadata."""
    index = NearDuplicateIndex(evaluation_texts(data_dir))
    supplement = read_supplement() if use_supplement else []
    pool, removed = without_evaluation_texts(
        public_examples(data_dir, ("train", "valid")) + supplement, index
    )
    print(f"training pool: {len(pool)} texts; removed: {json.dumps(removed)}")

    train_only = [e for e in pool if not e.source.endswith("_valid")]
    valid = {name: [e for e in pool if e.source == name] for name in VALID_SETS}
    selection = {}
    for c in C_GRID:
        for class_weight in CLASS_WEIGHTS:
            vectorizer, classifier = fit(train_only, c, class_weight)
            per_set = {
                name: round(
                    macro_f1(
                        [e.label for e in rows],
                        list(classifier.predict(vectorizer.transform([e.text for e in rows]))),
                    ),
                    4,
                )
                for name, rows in valid.items()
            }
            selection[(c, class_weight)] = sum(per_set.values()) / len(per_set)
            print(f"C={c} class_weight={class_weight}: valid macro-F1 {per_set}")
    best_c, best_weight = max(selection, key=selection.__getitem__)

    vectorizer, classifier = fit(pool, best_c, best_weight)
    content = export(vectorizer, classifier, threshold=THRESHOLD_GRID[0])
    model = SentimentModel.from_json(content)
    polarities, gold = news_polarities(model)
    threshold = choose_threshold(polarities, gold)
    full_set = macro_f1(gold, [decide(p, threshold) for p in polarities])
    cv = cross_validated_macro_f1(polarities, gold)
    content["neutral_threshold"] = threshold
    content["metadata"] = {
        "trained_by": "scripts/train_sentiment.py",
        "licence": "CC BY-SA 4.0 (derived from SmSA/IndoNLU and NusaX-senti)",
        "notice": "crawler/data/SENTIMENT-NOTICE.md",
        "training_texts": dict(sorted(Counter(e.source for e in pool).items())),
        "removed_from_training": removed,
        "near_duplicate_rule": f"normalised-equal or char-{SHINGLE}-gram Jaccard >= "
        f"{NEAR_DUPLICATE_JACCARD} with an evaluation text",
        "features": len(content["weights"]),
        "min_df": MIN_DF,
        "C": best_c,
        "class_weight": best_weight,
        "mean_valid_macro_f1": {f"C={c} {w}": round(v, 4) for (c, w), v in selection.items()},
        "supplement_weight": SUPPLEMENT_WEIGHT if use_supplement else 0.0,
        "prune_below": PRUNE_BELOW,
        "neutral_threshold_calibration": {
            "set": "crawler/evaluation/sentiment_news.jsonl",
            "rule": "largest threshold within one bootstrap standard error of the best macro-F1",
            "full_set_macro_f1": round(full_set, 4),
            "cv_macro_f1": round(cv, 4),
            "cv": f"{CV_REPEATS} x stratified {CV_FOLDS}-fold; threshold chosen on the other folds",
        },
    }
    return content


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--output", type=Path, default=REPO / "crawler" / "data" / MODEL_RESOURCE)
    parser.add_argument(
        "--ablation", action="store_true", help="also train without the supplement and compare"
    )
    args = parser.parse_args(argv)
    data_dir = args.shared / SENTIMENT_DATA
    if not data_dir.is_dir():
        parser.error(f"{data_dir} is absent: the training sets live in ../shared")

    content = train(data_dir)
    args.output.write_text(
        json.dumps(content, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    model = SentimentModel.from_json(content)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB)")
    print("metadata:", json.dumps(content["metadata"], indent=1))
    print("benchmarks (macro-F1):", benchmark_scores(model, data_dir))

    if args.ablation:
        plain = SentimentModel.from_json(train(data_dir, use_supplement=False))
        print("without supplement, benchmarks (macro-F1):", benchmark_scores(plain, data_dir))
        print(
            "without supplement, news (cross-validated macro-F1): "
            f"{plain.metadata['neutral_threshold_calibration']['cv_macro_f1']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
