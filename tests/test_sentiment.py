"""Sentiment: tokeniser and scope, the shipped weights, their scores, and training hygiene.

The SmSA / NusaX figures and the seed article need ../shared and skip without it; the news
set ships with the package, so its target is always checked.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from types import ModuleType

import pytest

from crawler import settings
from crawler.enrichment.sentiment import (
    FIRST_SENTENCE_WEIGHT,
    LABELS,
    MODEL_RESOURCE,
    NEUTRAL,
    TITLE_WEIGHT,
    SentimentEnricher,
    article_segments,
    features,
    load_model,
    load_tone_words,
    strip_dateline,
    tokenize,
    tone_word_score,
)
from crawler.evaluation.sentiment_eval import (
    BENCHMARKS,
    MIN_MACRO_F1,
    SENTIMENT_DATA,
    evaluate_benchmark,
    evaluate_news,
    load_news_set,
    read_benchmark,
    read_nusax,
    read_smsa,
)
from crawler.exporters import parse_clipping
from crawler.items import ArticleItem, Sentiment

REPO = Path(__file__).resolve().parents[1]
TRAIN_SCRIPT = REPO / "scripts" / "train_sentiment.py"

NEGATIVE_LEAD = (
    "Banjir bandang menerjang permukiman, tiga warga tewas dan ratusan rumah rusak berat. "
    "Warga kecewa karena tanggul yang jebol tidak pernah diperbaiki."
)


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def train_script() -> ModuleType:
    """scripts/train_sentiment.py as a module (its scikit-learn imports are inside functions)."""
    spec = importlib.util.spec_from_file_location("train_sentiment", TRAIN_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_tokenize_lowercases_drops_numbers_and_reattaches_detached_nya():
    assert tokenize("Tempat nya NYAMAN, harga Rp15.000 (2025)!") == [
        "tempatnya",
        "nyaman",
        "harga",
    ]


def test_features_are_unigrams_bigrams_and_negated_words_within_one_segment():
    found = features(["Warga kecewa", "Jalan rusak"])
    assert {"warga", "kecewa", "warga kecewa", "jalan rusak"} <= found
    assert "kecewa jalan" not in found
    negated = features(["Jembatan itu tidak aman lagi untuk dilintasi"])
    assert {"~aman", "~lagi", "tidak aman"} <= negated
    assert "~untuk" not in negated


def test_tone_words_count_and_a_negator_turns_them_around():
    tone_words = load_tone_words()
    assert tone_word_score("Banjir merendam desa, dua warga tewas", tone_words) == -2
    assert tone_word_score("Siswa meraih juara dan penghargaan", tone_words) == 3
    assert tone_word_score("Tidak ada korban dalam kejadian itu", tone_words) == 1


def test_tone_word_file_is_well_formed():
    tone_words = load_tone_words()
    assert len(tone_words) >= 200
    assert set(tone_words.values()) == {1, -1}
    assert all(word == word.casefold() and " " not in word for word in tone_words)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Esposin, SEMARANG – Pemkot belum menerapkan WFA.",
        "SEMARANG, KOMPAS.com - Pemkot belum menerapkan WFA.",
        "Jakarta (ANTARA News) - Pemkot belum menerapkan WFA.",
        "KUDUS – Pemkot belum menerapkan WFA.",
    ],
)
def test_strip_dateline_keeps_only_the_text(paragraph: str):
    assert strip_dateline(paragraph) == "Pemkot belum menerapkan WFA."


def test_strip_dateline_leaves_a_paragraph_without_dateline_alone():
    assert strip_dateline("Warga Kudus antusias - sangat antusias.") == (
        "Warga Kudus antusias - sangat antusias."
    )


def test_scope_is_the_title_and_the_sentences_of_the_first_three_paragraphs():
    body = ["SOLO – Satu dua. Tiga empat.", "", "Lima.", "Enam.", "Tujuh."]
    assert article_segments("Judul", body) == [
        ("Judul", TITLE_WEIGHT),
        ("Satu dua.", FIRST_SENTENCE_WEIGHT),
        ("Tiga empat.", 1.0),
        ("Lima.", 1.0),
    ]
    assert [s for s, _ in article_segments(None, ["Satu.", "Dua.", "Tiga.", "Empat."])] == [
        "Satu.",
        "Dua.",
        "Tiga.",
    ]


def test_text_after_the_lead_does_not_change_the_tone(model):
    case = next(c for c in load_news_set() if c.label == NEUTRAL)
    lead = (case.lead + ["Paragraf tambahan."] * 3)[:3]
    assert model.classify(case.title, lead) == model.classify(
        case.title, [*lead, NEGATIVE_LEAD, NEGATIVE_LEAD]
    )


def test_weights_file_is_small_well_formed_and_credits_its_sources(model):
    path = files("crawler.data").joinpath(MODEL_RESOURCE)
    assert len(path.read_bytes()) < 2_000_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["labels"] == list(LABELS)
    assert 0 < model.neutral_threshold < 1
    assert all(len(w) == 3 for w in model.weights.values())
    assert "CC BY-SA 4.0" in model.metadata["licence"]
    notice = files("crawler.data").joinpath("SENTIMENT-NOTICE.md").read_text(encoding="utf-8")
    for needle in ("SmSA", "IndoNLU", "NusaX", "CC BY-SA 4.0", "derived work"):
        assert needle in notice


def test_inference_does_not_import_scikit_learn():
    code = (
        "import sys\n"
        "from crawler.enrichment.sentiment import load_model\n"
        "print(load_model().classify('Banjir merendam desa', ['Warga mengungsi.']).label)\n"
        "assert not any(name.split('.')[0] == 'sklearn' for name in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in LABELS


def test_news_set_is_large_enough_and_has_a_realistic_neutral_share():
    cases = load_news_set()
    labels = [c.label for c in cases]
    assert len(cases) >= 120
    assert set(labels) == set(LABELS)
    assert 0.3 <= labels.count(NEUTRAL) / len(labels) <= 0.6
    assert len({c.case_id for c in cases}) == len(cases)


def test_news_set_macro_f1_meets_the_target(model):
    scores = evaluate_news(model, load_news_set())
    assert scores["macro_f1"] >= MIN_MACRO_F1["news"]


def test_neutral_news_gets_strength_zero_and_polar_news_a_strength(model):
    for case in load_news_set():
        result = model.classify(case.title, case.lead)
        if result.label == NEUTRAL:
            assert result.strength == 0, case.case_id
        else:
            assert 0 < result.strength <= 100, case.case_id
    neutral_cases = [c for c in load_news_set() if c.label == NEUTRAL]
    strengths = [model.classify(c.title, c.lead).strength for c in neutral_cases]
    assert strengths.count(0) / len(strengths) >= 0.8


@pytest.mark.parametrize("split", ["smsa_test", "nusax_indonesian_test"])
def test_benchmark_macro_f1_meets_the_target(shared_dir: Path, model, split: str):
    path = shared_dir / SENTIMENT_DATA / BENCHMARKS[split]
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    scores = evaluate_benchmark(model, read_benchmark(path))
    assert scores["macro_f1"] >= MIN_MACRO_F1[split]


def test_seed_article_is_neutral_with_strength_zero(shared_dir: Path):
    seed = (shared_dir / "seed" / "clipping-espos-2025-07-03.txt").read_text(encoding="utf-8")
    record = parse_clipping(seed)
    assert record.sentiment_label == NEUTRAL and record.sentiment_strength == 0
    item = ArticleItem(url="https://semarang.espos.id/seed", title=record.title, body=record.body)
    SentimentEnricher().enrich(item)
    assert item.sentiment == Sentiment(NEUTRAL, 0.0)


def test_enricher_labels_a_negative_article_and_leaves_an_empty_or_unknown_one_neutral():
    enricher = SentimentEnricher()
    item = ArticleItem(
        url="https://example.id/a", title="Banjir Bandang Terjang Desa", body=[NEGATIVE_LEAD]
    )
    enricher.enrich(item)
    assert item.sentiment.label == "negatif" and item.sentiment.strength > 50
    empty = ArticleItem(url="https://example.id/b")
    enricher.enrich(empty)
    assert empty.sentiment == Sentiment(NEUTRAL, 0.0)
    unknown = ArticleItem(url="https://example.id/c", title="Qwxz", body=["Zzyzx vrbl."])
    enricher.enrich(unknown)
    assert unknown.sentiment == Sentiment(NEUTRAL, 0.0)


def test_enricher_runs_after_regions_and_parties():
    assert settings.CRAWLER_ENRICHERS[-1] == "crawler.enrichment.sentiment.SentimentEnricher"


def test_team_sentences_are_many_varied_and_apart_from_the_news_set(train_script):
    news_texts = [
        text for c in load_news_set() for text in (" ".join([c.title, *c.lead]), c.title, *c.lead)
    ]
    index = train_script.NearDuplicateIndex(news_texts)
    sentences = train_script.team_sentences()
    assert len(sentences) >= 1800
    assert len({train_script.squash(e.text) for e in sentences}) == len(sentences)
    labels = [e.label for e in sentences]
    assert min(labels.count(label) for label in LABELS) >= 0.2 * len(labels)
    assert len(list(train_script.SENTENCES_DIR.glob("*.tsv"))) >= 10
    # near copies of the news set exist (same writers, same register); training drops them
    assert len([e.text for e in sentences if index.matches(e.text)]) <= 0.03 * len(sentences)


def test_team_sentences_are_no_copies_of_the_real_news_dev_set(shared_dir: Path, train_script):
    dev_set = shared_dir / train_script.DEV_SET
    if not dev_set.is_file():
        pytest.skip(f"{dev_set} is absent")
    texts = []
    for line in dev_set.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        texts += [part for part in text.splitlines() if len(part) > 30]
    index = train_script.NearDuplicateIndex(texts)
    copies = [e.text for e in train_script.team_sentences() if index.matches(e.text)]
    assert copies == []


def test_training_drops_copies_and_edited_copies_of_test_texts(shared_dir: Path, train_script):
    data = shared_dir / SENTIMENT_DATA
    if not data.is_dir():
        pytest.skip(f"{data} is absent")
    test_rows = read_nusax(data / "nusax_senti_indonesian_test.csv")
    index = train_script.NearDuplicateIndex(r.text for r in test_rows)
    test_flat = {train_script.squash(r.text) for r in test_rows}
    smsa = read_smsa(data / "smsa_train.tsv")
    copies = [r for r in smsa if train_script.squash(r.text) in test_flat]
    assert len(copies) >= 100  # the NusaX/SmSA overlap the issue warns about
    edited = test_rows[0].text.replace(" ", "  ").rstrip(".") + " sekali lagi."
    unrelated = read_smsa(data / "smsa_valid.tsv")[:300]
    pool = [
        train_script.Example(r.text, r.label, "smsa_train", r.key) for r in [*copies, *unrelated]
    ] + [train_script.Example(edited, test_rows[0].label, "smsa_train", "edited")]
    kept, report = train_script.without_evaluation_texts(pool, index)
    kept_flat = {train_script.squash(e.text) for e in kept}
    assert not kept_flat & test_flat
    assert "edited" not in {e.key for e in kept}
    assert len(kept) >= 0.9 * len(unrelated)
    assert report["near_duplicates_of_evaluation_texts"]["smsa_train"] >= len(copies) + 1


def test_training_drops_the_translation_of_a_dropped_nusax_row(train_script):
    index = train_script.NearDuplicateIndex(["Makanannya enak sekali."])
    pool = [
        train_script.Example("makanan nya enak sekali .", "positif", "smsa_train", "1"),
        train_script.Example("Makanannya enak sekali.", "positif", "nusax_indonesian_train", "7"),
        train_script.Example("Panganane enak banget.", "positif", "nusax_javanese_train", "7"),
        train_script.Example("Panganane ora enak.", "negatif", "nusax_javanese_train", "8"),
        train_script.Example("Panganane ora enak.", "negatif", "nusax_javanese_valid", "8"),
    ]
    kept, report = train_script.without_evaluation_texts(pool, index)
    assert [(e.source, e.key) for e in kept] == [("nusax_javanese_train", "8")]
    assert report["near_duplicates_of_evaluation_texts"] == {
        "nusax_indonesian_train": 1,
        "smsa_train": 1,
    }
    assert report["parallel_translations_of_those"] == {"nusax_javanese_train": 1}
    assert report["repeated_texts"] == 1


def test_shipped_model_records_what_was_kept_out_of_training(model):
    removed = model.metadata["removed_from_training"]["near_duplicates_of_evaluation_texts"]
    assert removed.get("smsa_train", 0) >= 300
    assert model.metadata["training_texts"]["supplement"] >= 1500
