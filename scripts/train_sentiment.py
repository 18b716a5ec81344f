"""Train the sentiment model shipped as ``crawler/data/sentiment_model.json``.

    pip install -e '.[train]'          # scikit-learn: needed here only, never at run time
    python scripts/train_sentiment.py [--shared ../shared]

What it trains on
-----------------
* the news sentences the team wrote (``scripts/sentiment_sentences/*.tsv`` and
  ``scripts/sentiment_supplement.tsv``: headlines and lead sentences in the register of
  Indonesian regional news, on disasters, crime, accidents, politics, government routine,
  economy, agriculture, health, education, culture, sport, infrastructure, environment,
  religion and social aid), weighted from :data:`SUPPLEMENT_WEIGHT_GRID`. They teach the model what
  tone means in news: a flood is negative however calmly it is told, an inauguration is
  neutral, an award positive;
* SmSA (IndoNLU) train + valid and NusaX-senti Indonesian and Javanese train + valid from
  ``../shared/data/sentiment/`` (CC BY-SA 4.0, see crawler/data/SENTIMENT-NOTICE.md):
  reviews and comments, which bring everyday evaluative words.

What is kept out of training (every evaluation text)
----------------------------------------------------
The evaluation texts are the SmSA test split, the NusaX Indonesian *and* Javanese test splits,
the team's news set (crawler/evaluation/sentiment_news.jsonl) and the real news of the dev set
(``../shared/eval/news-dev.jsonl``, whole texts and each line). NusaX was built by editing
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
Multinomial logistic regression over binary word unigram, bigram and negated-word features
(``crawler.enrichment.sentiment.features``, the same code inference runs), features seen in
fewer than :data:`MIN_DF` training texts left out, classes weighted to balance. C and the
weight of the team's sentences are chosen by 5-fold cross-validation over the team's
sentences (each fold trained on the public sets and the other folds): the macro-F1 on text in
news register is what matters. Weights are centred per feature (softmax does not change),
features whose largest weight is below :data:`PRUNE_BELOW` dropped, and the rest rounded,
which keeps the file small.

The neutral threshold written into the file is ``crawler.enrichment.sentiment.NEUTRAL_THRESHOLD``,
chosen with the tone-word weight on the real-news dev set (never trained on; the README says
so). Public texts count :data:`PUBLIC_WEIGHT` each. No score is stored in the model file:
``python -m crawler.evaluation`` computes them.
"""

from __future__ import annotations

import argparse
import json
import re
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
    NEUTRAL_THRESHOLD,
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
SENTENCES_DIR = REPO / "scripts" / "sentiment_sentences"
NEAR_DUPLICATE_JACCARD = 0.25
SHINGLE = 5
MIN_DF = 2
C_GRID = (0.5, 1.0)
SUPPLEMENT_WEIGHT_GRID = (4.0, 8.0)
#: Weight of a public (review and comment) text: they teach everyday evaluative words, but
#: their formal "neutral" texts read like news and would teach that news is neutral.
PUBLIC_WEIGHT = 0.1
CLASS_WEIGHT = "balanced"
PRUNE_BELOW = 0.02
ROUND_DIGITS = 4
CV_FOLDS = 5
NUSAX_LANGUAGES = ("indonesian", "javanese")
SUPPLEMENT = "supplement"
#: The real news of the dev set: never trained on.
DEV_SET = Path("eval") / "news-dev.jsonl"


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
    """One file of team sentences: label TAB sentence; ``#`` lines are comments."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip() and not line.startswith("#"):
                label, text = line.rstrip("\n").split("\t")
                if label not in LABELS:
                    raise ValueError(f"{path}:{number}: unknown label {label!r}")
                rows.append(Example(text, label, SUPPLEMENT, f"{path.stem}:{number}"))
    return rows


def team_sentences() -> list[Example]:
    """Every sentence the team wrote for training."""
    paths = [SUPPLEMENT_PATH, *sorted(SENTENCES_DIR.glob("*.tsv"))]
    return [example for path in paths for example in read_supplement(path)]


def evaluation_texts(data_dir: Path, dev_set: Path | None = None) -> list[str]:
    """Every text any evaluation reads: benchmark test splits, the news set, the dev set.

    The news set and the dev set count whole and part by part (title, paragraphs, lines).
    """
    texts = [
        row.text for filename in BENCHMARKS.values() for row in read_benchmark(data_dir / filename)
    ]
    for case in load_news_set():
        texts += [" ".join([case.title, *case.lead]), case.title, *case.lead]
    if dev_set is not None and dev_set.is_file():
        for line in dev_set.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            texts += [text, *(part for part in text.splitlines() if len(part) > 30)]
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


def fit(examples: Sequence[Example], c: float, supplement_weight: float) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(
        analyzer=lambda text: sorted(features([text])), binary=True, min_df=MIN_DF
    )
    matrix = vectorizer.fit_transform([e.text for e in examples])
    weights = [supplement_weight if e.source == SUPPLEMENT else PUBLIC_WEIGHT for e in examples]
    classifier = LogisticRegression(C=c, class_weight=CLASS_WEIGHT, max_iter=5000)
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


def cross_validate(
    public: Sequence[Example], team: Sequence[Example], c: float, supplement_weight: float
) -> float:
    """Mean macro-F1 on held-out team sentences, each fold trained on the rest and public."""
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(CV_FOLDS, shuffle=True, random_state=0)
    labels = [e.label for e in team]
    results = []
    for train_rows, test_rows in folds.split(team, labels):
        vectorizer, classifier = fit(
            [*public, *(team[i] for i in train_rows)], c, supplement_weight
        )
        held_out = [team[i] for i in test_rows]
        predicted = classifier.predict(vectorizer.transform([e.text for e in held_out]))
        results.append(macro_f1([e.label for e in held_out], list(predicted)))
    return sum(results) / len(results)


def train(data_dir: Path, dev_set: Path | None) -> dict[str, Any]:
    """Dedupe, choose C and the team weight, fit, export, calibrate; the weights file's content."""
    index = NearDuplicateIndex(evaluation_texts(data_dir, dev_set))
    pool, removed = without_evaluation_texts(
        public_examples(data_dir, ("train", "valid")) + team_sentences(), index
    )
    print(f"training pool: {len(pool)} texts; removed: {json.dumps(removed)}")
    public = [e for e in pool if e.source != SUPPLEMENT]
    team = [e for e in pool if e.source == SUPPLEMENT]
    selection = {}
    for c in C_GRID:
        for supplement_weight in SUPPLEMENT_WEIGHT_GRID:
            score = cross_validate(public, team, c, supplement_weight)
            selection[(c, supplement_weight)] = score
            print(f"C={c} team weight={supplement_weight}: team-sentence CV macro-F1 {score:.4f}")
    best_c, best_weight = max(selection, key=selection.__getitem__)

    vectorizer, classifier = fit(pool, best_c, best_weight)
    content = export(vectorizer, classifier, threshold=NEUTRAL_THRESHOLD)
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
        "class_weight": CLASS_WEIGHT,
        "supplement_weight": best_weight,
        "public_weight": PUBLIC_WEIGHT,
        "selection": "5-fold cross-validation over the team's sentences",
        "prune_below": PRUNE_BELOW,
        "neutral_threshold": "crawler.enrichment.sentiment.NEUTRAL_THRESHOLD, chosen on the dev "
        "set together with TONE_WORD_WEIGHT",
    }
    return content


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--output", type=Path, default=REPO / "crawler" / "data" / MODEL_RESOURCE)
    args = parser.parse_args(argv)
    data_dir = args.shared / SENTIMENT_DATA
    if not data_dir.is_dir():
        parser.error(f"{data_dir} is absent: the training sets live in ../shared")

    content = train(data_dir, args.shared / DEV_SET)
    args.output.write_text(
        json.dumps(content, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB)")
    print("metadata:", json.dumps(content["metadata"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
