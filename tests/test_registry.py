"""The outlet registry is the single source of `scrapy list`, `scrapy outlets` and the README."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_scrapy

import crawler.data
from crawler.outlets.entry import CONFIDENCE_LEVELS, DISCOVERY_METHODS, Fact, Outlet
from crawler.outlets.registry import (
    README_END,
    README_START,
    facts_summary,
    facts_text,
    markdown_table,
    readme_section,
    readme_table,
    registered_outlets,
    text_table,
)
from crawler.spiders.generic import GenericSpider

REGISTRY = registered_outlets()
MEDIA_TYPES = ("Jateng", "Nasional")
STATUSES = ("stable", "experimental")
KABKOTA_CSV = Path(crawler.data.__file__).parent / "kabkota.csv"


def test_readme_outlet_table_is_the_registry():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_table(readme) == readme_section(REGISTRY), (
        "README.md's outlet table differs from the registry: run "
        "`python -m crawler.outlets.registry --markdown` and paste its output between "
        f"{README_START} and {README_END}"
    )


def test_scrapy_list_is_the_registry(tmp_path: Path):
    result = run_scrapy(["list"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(REGISTRY), "every spider must declare an Outlet"


def test_scrapy_outlets_prints_the_registry(tmp_path: Path):
    result = run_scrapy(["outlets"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == text_table(REGISTRY) + "\n"
    for name, outlet in REGISTRY.items():
        assert re.search(rf"^{re.escape(name)}\s+{re.escape(outlet.name)}\s", result.stdout, re.M)
    markdown = run_scrapy(["outlets", "--markdown"], cwd=tmp_path)
    assert markdown.stdout == readme_section(REGISTRY) + "\n"
    facts = run_scrapy(["outlets", "--facts"], cwd=tmp_path)
    assert facts.returncode == 0, facts.stderr
    assert facts.stdout == facts_text(REGISTRY) + "\n"


def test_registry_module_prints_the_table_outside_the_project(tmp_path: Path):
    env = {key: value for key, value in os.environ.items() if key != "SCRAPY_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "crawler.outlets.registry", "--markdown"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == readme_section(REGISTRY) + "\n"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_registry_entry_is_well_formed(name: str):
    outlet = REGISTRY[name]
    kabkota_codes = {
        line.split(",", 1)[0] for line in KABKOTA_CSV.read_text(encoding="utf-8").splitlines()[1:]
    }
    assert outlet.name.strip()
    assert outlet.media_type in MEDIA_TYPES
    assert outlet.status in STATUSES
    assert outlet.discovery and set(outlet.discovery) <= set(DISCOVERY_METHODS)
    assert outlet.home_region is None or outlet.home_region in kabkota_codes
    if name != GenericSpider.name:
        assert outlet.domains, "an outlet spider names its domains"


def test_generic_spider_is_registered_and_described_as_such():
    generic = REGISTRY[GenericSpider.name]
    assert "generic spider" in generic.notes
    assert generic.domains == ()


def test_markdown_cells_escape_pipes_and_empty_domains_read_as_any():
    table = markdown_table({"x": Outlet(name="A|B", discovery=("rss",), notes="one | two")})
    row = table.splitlines()[2]
    assert row.count(" | ") == 8
    assert "A\\|B" in row and "one \\| two" in row and "(any, per run)" in row
    assert row.split(" | ")[7] == "-"  # no facts stated


def test_readme_without_markers_is_refused():
    with pytest.raises(ValueError, match="outlets:start"):
        readme_table("# README without an outlet table\n")


#: Outlets whose facts were read against outlet-evidence-2026-12.md (issue 17; the radars are
#: done with their network modules).
EVIDENCE_CHECKED = (
    "antarajateng",
    "detikjateng",
    "espos",
    "halosemarang",
    "inewsjateng",
    "jatengpos",
    "jatengprov",
    "kompasjateng",
    "lingkarjateng",
    "metrojateng",
    "murianews",
    "suarabaru",
    "suaramerdeka",
    "tribunjateng",
)


@pytest.mark.parametrize("name", EVIDENCE_CHECKED)
def test_an_outlet_states_its_facts_with_confidence_and_source(name: str):
    facts = REGISTRY[name].facts
    assert facts, f"{name} declares no facts"
    for fact in facts:
        assert fact.what.strip() and fact.source.strip(), fact
        assert fact.confidence in CONFIDENCE_LEVELS, fact


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_declared_facts_have_a_known_confidence(name: str):
    assert all(fact.confidence in CONFIDENCE_LEVELS for fact in REGISTRY[name].facts)


def test_facts_are_counted_per_confidence_and_listed_guessed_first():
    outlet = Outlet(
        name="X",
        discovery=("rss",),
        facts=(
            Fact("URL shape", "seen-in-code", "outlets.md §1"),
            Fact("feed /rss", "guessed", "platform default"),
            Fact("caption line", "seen-in-saved-page"),
            Fact("sitemap", "guessed", "platform default"),
        ),
    )
    assert facts_summary(outlet) == "1 code, 1 page, 2 guessed"
    listing = facts_text({"x": outlet}).splitlines()
    assert listing[0] == "x (X)"
    assert [line.split()[0] for line in listing[1:]] == [
        "guessed",
        "guessed",
        "seen-in-saved-page",
        "seen-in-code",
    ]
    assert "feed /rss (platform default)" in listing[1]
    assert "- `x`: *guessed*: feed /rss (platform default); sitemap" in readme_section(
        {"x": outlet}
    )
    escaped = readme_section({"x": Outlet(name="X", facts=(Fact("div.a__b-* /<id>/", "guessed"),))})
    assert "div.a\\_\\_b-\\* /&lt;id>/" in escaped
