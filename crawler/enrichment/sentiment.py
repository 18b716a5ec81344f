"""The tone of an article, as the clipping's ``Sentimen`` lines show it: label and strength.

The tone is the news's tone for its main subject: a disaster, crime, accident, conflict or
criticism is negative; an achievement, aid, an opening, growth or praise positive; a routine
announcement neutral. Scope is the title and the lead (the first :data:`SCOPE_SENTENCES`
sentences of the first :data:`SCOPE_PARAGRAPHS` body paragraphs): that is where an article
sets its tone, and a quote deep in the body should not flip it. Each sentence is read on its
own, as the model was trained on sentences, and the scores are averaged, the title counting
:data:`TITLE_WEIGHT` times and the first sentence :data:`FIRST_SENTENCE_WEIGHT` times;
segments without a word the model knows (menu lines, photo credits) do not count.

The model is a multinomial logistic regression over word unigrams, bigrams and negated
words ("tidak aman" gives the feature ``~aman``: :data:`NEGATORS` mark the next
:data:`NEGATION_SPAN` words), trained offline by ``scripts/train_sentiment.py``
(scikit-learn) on news sentences the team wrote and on SmSA and NusaX, and shipped as a
plain weights table (``crawler/data/sentiment_model.json``, CC BY-SA 4.0, see
``SENTIMENT-NOTICE.md``), so that inference is a few hundred dictionary look-ups in pure
Python.

News tone words (``crawler/data/news_tone.csv``: "banjir", "tewas", "korupsi" negative;
"juara", "diresmikan", "bantuan" positive; a negator before one turns it around) add their
mean count per segment, times :data:`TONE_WORD_WEIGHT`, to the model's polarity
P(positif) - P(negatif): the model weighs every word of a long lead sentence, the tone words
say what the news is about. Below the neutral threshold the article is ``neutral`` with
strength 0; above it the label follows the sign and the strength is ``100 * |polarity|``
(at most 100). The tone-word weight and the threshold were chosen on the real-news dev set
(``python -m crawler.evaluation``), so its sentiment figures are tuned-on.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from crawler.extraction.dateline import DATELINE_PATTERNS
from crawler.items import ArticleItem, Sentiment

#: Labels in the order of every weight vector in the model file.
LABELS = ("positif", "negatif", "neutral")
POSITIVE, NEGATIVE, NEUTRAL = LABELS
#: Body paragraphs read after the title: the lead, where the article sets its tone.
SCOPE_PARAGRAPHS = 3
#: How much more the title counts than a lead sentence, and the first sentence than the rest.
TITLE_WEIGHT = 2.0
FIRST_SENTENCE_WEIGHT = 1.5
#: The shipped weights in package ``crawler.data``, written by scripts/train_sentiment.py.
MODEL_RESOURCE = "sentiment_model.json"
#: Version of the weights file layout this module reads.
MODEL_FORMAT = 2
#: Words that turn the meaning of the next words around (Indonesian and Javanese).
NEGATORS = frozenset(
    {"tidak", "tak", "bukan", "belum", "tanpa", "jangan", "enggak", "nggak", "gak", "ora", "dudu"}
)
#: Words after a negator that are read as negated.
NEGATION_SPAN = 2
#: Prefix of a negated word's feature.
NEGATED = "~"
#: News tone words and their tone, a data file in package ``crawler.data``.
TONE_WORDS_RESOURCE = "news_tone.csv"
#: How much the mean count of tone words per segment adds to the model's polarity.
TONE_WORD_WEIGHT = 0.3
#: Least |polarity| for a polar label; scripts/train_sentiment.py writes it into the model.
NEUTRAL_THRESHOLD = 0.2

_WORD = re.compile(r"[^\W_]+")
#: SmSA writes the clitic apart ("tempat nya"); news and NusaX write "tempatnya".
_DETACHED_CLITIC = "nya"
#: Lead sentences read after the title.
SCOPE_SENTENCES = 6
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘(]?[A-Z0-9])")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens, a detached "nya" re-attached; amounts and dates (any token
    with a digit) carry no tone and are left out."""
    return list(_tokens(text))


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[str, ...]:
    """``tokenize``'s tokens, kept for the few segments of the article at hand: the model's
    features and the tone words read each segment."""
    tokens: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        if not word.isalpha():  # the pattern matches letters and digits only
            continue
        if word == _DETACHED_CLITIC and tokens:
            tokens[-1] += word
        else:
            tokens.append(word)
    return tuple(tokens)


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (a full stop, "!" or "?" before a capital)."""
    return [s for s in _SENTENCE_END.split(paragraph.strip()) if s]


def features(segments: Iterable[str]) -> set[str]:
    """Unigrams, bigrams ("a b") and negated words ("~aman") of each segment.

    No bigram or negation spans two segments.
    """
    found: set[str] = set()
    for segment in segments:
        tokens = _tokens(segment)
        found.update(tokens)
        found.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
        for index, token in enumerate(tokens):
            if token in NEGATORS:
                found.update(
                    NEGATED + word
                    for word in tokens[index + 1 : index + 1 + NEGATION_SPAN]
                    if word not in NEGATORS
                )
    return found


def strip_dateline(paragraph: str) -> str:
    """The paragraph without its opening dateline ("Esposin, SEMARANG – "): a place, not tone."""
    text = paragraph.lstrip()
    for pattern in DATELINE_PATTERNS:
        match = pattern.match(text)
        if match:
            return text[match.end() :].lstrip()
    return text


@lru_cache(maxsize=1)
def load_tone_words() -> dict[str, int]:
    """Tone words: +1 for a positive word, -1 for a negative one."""
    source = files("crawler.data").joinpath(TONE_WORDS_RESOURCE)
    with source.open(encoding="utf-8") as fh:
        return {row["word"]: 1 if row["tone"] == POSITIVE else -1 for row in csv.DictReader(fh)}


def tone_word_score(segment: str, tone_words: dict[str, int]) -> int:
    """Positive minus negative tone words; one within two words after a negator counts
    the other way ("tidak ada korban")."""
    tokens = _tokens(segment)
    score = 0
    for index, token in enumerate(tokens):
        tone = tone_words.get(token, 0)
        if tone and not NEGATORS.isdisjoint(tokens[max(0, index - NEGATION_SPAN) : index]):
            tone = -tone
        score += tone
    return score


@dataclass(frozen=True)
class SentimentModel:
    """A linear model over n-gram features: per-feature weights for each of :data:`LABELS`."""

    weights: dict[str, tuple[float, float, float]]
    intercepts: tuple[float, float, float]
    #: Minimum |P(positif) - P(negatif)| for a polar label; below it the text is neutral.
    neutral_threshold: float
    metadata: dict[str, Any]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SentimentModel:
        if data.get("format") != MODEL_FORMAT or tuple(data.get("labels", ())) != LABELS:
            raise ValueError(
                f"unsupported sentiment model: format {data.get('format')!r}, "
                f"labels {data.get('labels')!r}; expected format {MODEL_FORMAT} and {LABELS}"
            )
        weights = {feature: (w[0], w[1], w[2]) for feature, w in data["weights"].items()}
        intercept = data["intercepts"]
        return cls(
            weights=weights,
            intercepts=(intercept[0], intercept[1], intercept[2]),
            neutral_threshold=float(data["neutral_threshold"]),
            metadata=data.get("metadata", {}),
        )

    def probabilities(self, segments: Iterable[str]) -> dict[str, float]:
        """P(label) for the segments read together as one text."""
        return self._probabilities(_weighted(segments, [1.0]))[0]

    def _scores(self, segment: str) -> tuple[float, float, float, int]:
        """The summed weights of one segment's features, and how many the model knows."""
        positive = negative = neutral = 0.0
        known = 0
        weights = self.weights
        for feature in features([segment]):
            weight = weights.get(feature)
            if weight is not None:
                known += 1
                positive += weight[0]
                negative += weight[1]
                neutral += weight[2]
        return positive, negative, neutral, known

    def _probabilities(self, weighted: Iterable[tuple[str, float]]) -> tuple[dict[str, float], int]:
        """P(label) of weighted segments (their mean score), and how many features are known.

        A segment with no known feature does not count in the mean.
        """
        sums = [0.0, 0.0, 0.0]
        total_weight = 0.0
        known = 0
        for segment, weight in weighted:
            positive, negative, neutral, segment_known = self._scores(segment)
            if not segment_known:
                continue
            known += segment_known
            total_weight += weight
            sums[0] += weight * positive
            sums[1] += weight * negative
            sums[2] += weight * neutral
        scale = 1 / total_weight if total_weight else 0.0
        logits = [b + scale * s for b, s in zip(self.intercepts, sums, strict=True)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        probabilities = {label: e / total for label, e in zip(LABELS, exps, strict=True)}
        return probabilities, known

    def predict_class(self, text: str) -> str:
        """The most probable of the three classes, without the news threshold.

        This is how the review-style benchmarks (SmSA, NusaX), which have their own neutral
        class, are scored; articles go through :meth:`classify`.
        """
        probabilities = self.probabilities([text])
        return max(LABELS, key=probabilities.__getitem__)

    def article_probabilities(self, title: str | None, body: Sequence[str]) -> dict[str, float]:
        """P(label) of an article: title and lead, weighted as the module docstring says."""
        return self._probabilities(article_segments(title, body))[0]

    def polarity(self, weighted: Sequence[tuple[str, float]]) -> tuple[float, int]:
        """The model's P(positif) - P(negatif) plus the tone words' weighted mean, and how
        many features of the text the model knows."""
        probabilities, known = self._probabilities(weighted)
        tone_words = load_tone_words()
        total = sum(weight for _, weight in weighted)
        tone = sum(weight * tone_word_score(text, tone_words) for text, weight in weighted)
        mean_tone = tone / total if total else 0.0
        polarity = probabilities[POSITIVE] - probabilities[NEGATIVE]
        return polarity + TONE_WORD_WEIGHT * mean_tone, known

    def _sentiment(self, weighted: Sequence[tuple[str, float]]) -> Sentiment:
        polarity, known = self.polarity(weighted)
        if not known or abs(polarity) < self.neutral_threshold:
            return Sentiment(NEUTRAL, 0.0)
        label = POSITIVE if polarity > 0 else NEGATIVE
        return Sentiment(label, round(min(100.0, 100 * abs(polarity)), 1))

    def classify(self, title: str | None, body: Sequence[str]) -> Sentiment:
        """The tone of an article from its title and lead paragraphs."""
        return self._sentiment(article_segments(title, body))


def _weighted(segments: Iterable[str], weights: Sequence[float]) -> list[tuple[str, float]]:
    """Segments paired with weights; the last weight serves the rest."""
    return [
        (segment, weights[min(index, len(weights) - 1)]) for index, segment in enumerate(segments)
    ]


def article_segments(title: str | None, body: Sequence[str]) -> list[tuple[str, float]]:
    """The title and the lead's sentences, each with the weight it counts with."""
    lead = [
        sentence
        for paragraph in body[:SCOPE_PARAGRAPHS]
        if paragraph and paragraph.strip()
        for sentence in sentences(strip_dateline(paragraph))
    ][:SCOPE_SENTENCES]
    weighted = [(title, TITLE_WEIGHT)] if title and title.strip() else []
    weighted += _weighted(lead, [FIRST_SENTENCE_WEIGHT, 1.0])
    return weighted


@lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> SentimentModel:
    """The weights file (the shipped one unless *path* is given), read once per process."""
    source = path or files("crawler.data").joinpath(MODEL_RESOURCE)
    with source.open(encoding="utf-8") as fh:
        return SentimentModel.from_json(json.load(fh))


class SentimentEnricher:
    """Set ``item.sentiment`` from the article's title and lead."""

    def __init__(self, model: SentimentModel | None = None) -> None:
        self.model = model or load_model()

    def enrich(self, item: ArticleItem) -> None:
        item.sentiment = self.model.classify(item.title, item.body)
