"""The tone of an article, as the clipping's ``Sentimen`` lines show it: label and strength.

Scope is the title and the lead (the first :data:`SCOPE_PARAGRAPHS` body paragraphs): that is
where an article sets its tone, and a quote deep in the body should not flip it. The model
is a multinomial logistic regression over word unigrams and bigrams, trained offline by
``scripts/train_sentiment.py`` (scikit-learn) and shipped as a plain weights table
(``crawler/data/sentiment_model.json``, CC BY-SA 4.0, see ``SENTIMENT-NOTICE.md``), so that
inference is a few hundred dictionary look-ups in pure Python.

The model gives P(positif), P(negatif) and P(neutral). The polarity strength is
``100 * |P(positif) - P(negatif)|``; below the neutral threshold (calibrated on news text,
not on the review-style training data) the article is ``neutral`` with strength 0.
"""

from __future__ import annotations

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
#: The shipped weights in package ``crawler.data``, written by scripts/train_sentiment.py.
MODEL_RESOURCE = "sentiment_model.json"
#: Version of the weights file layout this module reads.
MODEL_FORMAT = 1

_WORD = re.compile(r"[^\W_]+")
#: SmSA writes the clitic apart ("tempat nya"); news and NusaX write "tempatnya".
_DETACHED_CLITIC = "nya"
#: Every token with a digit becomes this one token: amounts and dates carry no tone.
NUMBER_TOKEN = "0"


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens, numbers folded to one token, a detached "nya" re-attached."""
    tokens: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        if word == _DETACHED_CLITIC and tokens and tokens[-1] != NUMBER_TOKEN:
            tokens[-1] += word
        elif any(ch.isdigit() for ch in word):
            tokens.append(NUMBER_TOKEN)
        else:
            tokens.append(word)
    return tokens


def features(segments: Iterable[str]) -> set[str]:
    """Unigrams and bigrams ("a b") of each segment; no bigram spans two segments."""
    found: set[str] = set()
    for segment in segments:
        tokens = tokenize(segment)
        found.update(tokens)
        found.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    return found


def strip_dateline(paragraph: str) -> str:
    """The paragraph without its opening dateline ("Esposin, SEMARANG – "): a place, not tone."""
    text = paragraph.lstrip()
    for pattern in DATELINE_PATTERNS:
        match = pattern.match(text)
        if match:
            return text[match.end() :].lstrip()
    return text


def article_scope(title: str | None, body: Sequence[str]) -> list[str]:
    """The segments the tone is read from: the title and the lead paragraphs."""
    lead = [p for p in body[:SCOPE_PARAGRAPHS] if p and p.strip()]
    if lead:
        lead[0] = strip_dateline(lead[0])
    return [s for s in (title or "", *lead) if s.strip()]


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
        return self._probabilities(segments)[0]

    def _probabilities(self, segments: Iterable[str]) -> tuple[dict[str, float], int]:
        """P(label), and how many of the text's features the model knows."""
        positive, negative, neutral = self.intercepts
        weights = self.weights
        known = 0
        for feature in features(segments):
            weight = weights.get(feature)
            if weight is not None:
                known += 1
                positive += weight[0]
                negative += weight[1]
                neutral += weight[2]
        top = max(positive, negative, neutral)
        exp_pos, exp_neg, exp_neu = (
            math.exp(positive - top),
            math.exp(negative - top),
            math.exp(neutral - top),
        )
        total = exp_pos + exp_neg + exp_neu
        probabilities = {
            POSITIVE: exp_pos / total,
            NEGATIVE: exp_neg / total,
            NEUTRAL: exp_neu / total,
        }
        return probabilities, known

    def predict_class(self, text: str) -> str:
        """The most probable of the three classes, without the news threshold.

        This is how the review-style benchmarks (SmSA, NusaX), which have their own neutral
        class, are scored; articles go through :meth:`classify`.
        """
        probabilities = self.probabilities([text])
        return max(LABELS, key=probabilities.__getitem__)

    def sentiment_of(self, segments: Iterable[str]) -> Sentiment:
        """Label and polarity strength of a text given as segments (title, paragraphs).

        A text with no word the model knows (or no text) is neutral: the intercepts alone
        are the training sets' label shares, not a tone.
        """
        probabilities, known = self._probabilities(segments)
        if not known:
            return Sentiment(NEUTRAL, 0.0)
        polarity = probabilities[POSITIVE] - probabilities[NEGATIVE]
        if abs(polarity) < self.neutral_threshold:
            return Sentiment(NEUTRAL, 0.0)
        label = POSITIVE if polarity > 0 else NEGATIVE
        return Sentiment(label, round(100 * abs(polarity), 1))

    def classify(self, title: str | None, body: Sequence[str]) -> Sentiment:
        """The tone of an article from its title and lead paragraphs."""
        return self.sentiment_of(article_scope(title, body))


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
