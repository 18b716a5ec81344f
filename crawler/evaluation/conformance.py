"""Score ``extract_article`` against the hand-checked gold of real saved pages.

Runs every article page listed in ``../shared/fixtures/real/gold.jsonl`` through the extractor
without outlet selectors (structured layers plus the generic reader), so the numbers measure
what a brand-new outlet gets for free. Scores follow the fixtures README: title exact,
published exact (as instants), paragraph precision/recall/F1 on whitespace-collapsed exact
paragraphs (desk codes such as "(E-2)" are not stripped on either side: gold keeps them inline
and so does the extractor), and no ``must_not_contain`` string anywhere in the body. Authors,
dateline and URL are scored too.

Usage: ``python -m crawler.evaluation.conformance [--shared PATH]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from crawler.extraction import ExtractedArticle, extract_article
from crawler.extraction.cleaning import collapse_whitespace

#: Where the shared material sits by default: ``../shared`` next to the repository.
DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_RELATIVE = Path("fixtures/real/gold.jsonl")
#: A fixed crawl time, so relative-date handling cannot make results depend on today.
CRAWL_TIME = datetime.fromisoformat("2026-11-27T12:00:00+07:00")

#: Overall numbers, in the order they are printed and pinned in tests/quality_floor.json.
METRICS = (
    "title_exact",
    "published_exact",
    "paragraph_precision",
    "paragraph_recall",
    "paragraph_f1",
    "page_f1_mean",
    "must_not_contain_clean",
    "authors_exact",
    "dateline_exact",
    "url_exact",
)


@dataclass
class PageScore:
    """How one page's extraction compares with its gold record."""

    file: str
    title_ok: bool
    published_ok: bool
    matched: int
    extracted: int
    expected: int
    forbidden_found: list[str] = field(default_factory=list)
    authors_ok: bool = False
    dateline_ok: bool = False
    url_ok: bool = False

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def load_gold(shared: Path) -> list[dict]:
    """Gold records of the article pages, in file order."""
    with (shared / GOLD_RELATIVE).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _same_instant(value: datetime | None, expected: str | None) -> bool:
    if expected is None:
        return value is None
    return value is not None and value == datetime.fromisoformat(expected)


def score_page(gold: dict, article: ExtractedArticle) -> PageScore:
    """Compare one extraction with its gold record."""
    produced = Counter(collapse_whitespace(p) for p in article.body)
    expected = Counter(collapse_whitespace(p) for p in gold["paragraphs"])
    body_text = "\n".join(article.body)
    return PageScore(
        file=gold["file"],
        title_ok=gold["title"] is None or article.title == gold["title"],
        published_ok=_same_instant(article.published, gold["published"]),
        matched=sum((produced & expected).values()),
        extracted=sum(produced.values()),
        expected=sum(expected.values()),
        forbidden_found=[s for s in gold.get("must_not_contain", []) if s in body_text],
        authors_ok=article.authors == gold["authors"],
        dateline_ok=article.dateline == gold["dateline"],
        url_ok=article.url == gold["url"],
    )


def run(shared: Path) -> list[PageScore]:
    """Extract and score every gold page."""
    root = shared / GOLD_RELATIVE.parent
    scores = []
    for gold in load_gold(shared):
        html = (root / gold["file"]).read_bytes()
        article = extract_article(html, gold["url"], now=CRAWL_TIME)
        scores.append(score_page(gold, article))
    return scores


def overall(scores: Sequence[PageScore]) -> dict[str, float]:
    """The overall numbers: rates over pages, micro-averaged paragraph scores."""
    pages = len(scores) or 1
    matched = sum(s.matched for s in scores)
    extracted = sum(s.extracted for s in scores)
    expected = sum(s.expected for s in scores)
    precision = matched / extracted if extracted else 0.0
    recall = matched / expected if expected else 0.0
    return {
        "title_exact": sum(s.title_ok for s in scores) / pages,
        "published_exact": sum(s.published_ok for s in scores) / pages,
        "paragraph_precision": precision,
        "paragraph_recall": recall,
        "paragraph_f1": f1(precision, recall),
        "page_f1_mean": sum(s.f1 for s in scores) / pages,
        "must_not_contain_clean": sum(not s.forbidden_found for s in scores) / pages,
        "authors_exact": sum(s.authors_ok for s in scores) / pages,
        "dateline_exact": sum(s.dateline_ok for s in scores) / pages,
        "url_exact": sum(s.url_ok for s in scores) / pages,
    }


def format_report(scores: Sequence[PageScore]) -> str:
    """A per-page table followed by the overall numbers."""

    def mark(ok: bool) -> str:
        return "ok" if ok else "--"

    header = f"{'page':<62} title publ    P     R    F1  forbid auth dline url"
    rows = [header, "-" * len(header)]
    for s in scores:
        rows.append(
            f"{s.file:<62} {mark(s.title_ok):>5} {mark(s.published_ok):>4} "
            f"{s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f} {len(s.forbidden_found):>6} "
            f"{mark(s.authors_ok):>4} {mark(s.dateline_ok):>5} {mark(s.url_ok):>3}"
        )
    rows.append("")
    rows.extend(f"{name:<24} {value:.3f}" for name, value in overall(scores).items())
    for s in scores:
        rows.extend(f"  {s.file}: body contains {text!r}" for text in s.forbidden_found)
    return "\n".join(rows)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not (args.shared / GOLD_RELATIVE).is_file():
        print(f"no gold file at {args.shared / GOLD_RELATIVE}", file=sys.stderr)
        return 2
    print(format_report(run(args.shared)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
