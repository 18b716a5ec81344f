"""The labelled sets, the evaluation functions, their targets and the command."""

from __future__ import annotations

import io
import sys

import pytest

from crawler.evaluation import (
    PARTY_MIN_PRECISION,
    PARTY_MIN_RECALL,
    REGION_MIN_PRECISION,
    REGION_MIN_RECALL,
    CaseResult,
    TaskReport,
    evaluate_parties,
    evaluate_regions,
    load_cases,
)
from crawler.evaluation import __main__ as command
from crawler.evaluation.__main__ import main


@pytest.fixture(scope="module")
def regions() -> TaskReport:
    return evaluate_regions()


@pytest.fixture(scope="module")
def parties() -> TaskReport:
    return evaluate_parties()


def test_region_set_is_large_and_well_formed(regions):
    assert len(regions.cases) >= 150
    ids = [case.case_id for case in regions.cases]
    assert len(ids) == len(set(ids))
    assert sum(not case.expected for case in regions.cases) >= 30  # traps with no region


def test_party_set_is_large_and_well_formed(parties):
    assert len(parties.cases) >= 80
    ids = [case.case_id for case in parties.cases]
    assert len(ids) == len(set(ids))
    assert sum(not case.expected for case in parties.cases) >= 30


def test_region_tagger_meets_its_targets(regions):
    assert regions.scores.precision >= REGION_MIN_PRECISION, regions.errors
    assert regions.scores.recall >= REGION_MIN_RECALL, regions.errors


def test_party_tagger_meets_its_targets(parties):
    assert parties.scores.precision >= PARTY_MIN_PRECISION, parties.errors
    assert parties.scores.recall >= PARTY_MIN_RECALL, parties.errors


def test_labels_in_the_sets_are_real_labels():
    from crawler.enrichment.gazetteer import load_kabkota

    known = {region.label for region in load_kabkota()}
    for record in load_cases(None, "regions.jsonl"):
        assert set(record["expected"]) <= known, record["id"]


def test_scores_count_every_wrong_and_missing_label():
    report = TaskReport(
        "toy",
        [
            CaseResult("a", ["Kudus", "Pati"], ["Kudus"]),
            CaseResult("b", [], ["Demak"]),
            CaseResult("c", ["Blora"], ["Blora"]),
        ],
    )
    scores = report.scores
    assert (scores.true_positives, scores.false_positives, scores.false_negatives) == (2, 1, 1)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)
    assert [case.case_id for case in report.errors] == ["a", "b"]


def test_command_prints_each_task_and_says_sentiment_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(command, "SENTIMENT_MODULE", "crawler.evaluation.no_such_module")
    out = io.StringIO()
    absent = tmp_path / "news-dev.jsonl"
    assert main(["--check", "--dev-set", str(absent)], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == f"dev set    skipped: {absent} is absent (../shared not available)"
    assert lines[1].startswith("team sets")
    assert lines[2].startswith("regions") and "precision=" in lines[2] and "f1=" in lines[2]
    assert lines[3].startswith("parties") and "recall=" in lines[3]
    assert lines[4] == "sentiment  missing: crawler.evaluation.no_such_module is not installed"


def test_command_prints_what_the_sentiment_helper_returns(monkeypatch, tmp_path):
    package = tmp_path / "fake_sentiment_eval.py"
    package.write_text(
        "def evaluate_sentiment():\n"
        "    return {'news': {'macro_f1': 0.8125, 'confusion': {'positif': {'positif': 3}}}}\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(command, "SENTIMENT_MODULE", "fake_sentiment_eval")
    out = io.StringIO()
    main(["--dev-set", str(tmp_path / "absent.jsonl")], out=out)
    text = out.getvalue()
    assert "sentiment:\n  news:\n    macro_f1: 0.812\n" in text
    assert "      positif: 3" in text
    sys.modules.pop("fake_sentiment_eval", None)


def test_command_lists_errors_on_request(monkeypatch, regions, tmp_path):
    monkeypatch.setattr(command, "SENTIMENT_MODULE", "crawler.evaluation.no_such_module")
    out = io.StringIO()
    main(["--errors", "--dev-set", str(tmp_path / "absent.jsonl")], out=out)
    for case in regions.errors:
        assert f"    {case.case_id}: expected" in out.getvalue()
