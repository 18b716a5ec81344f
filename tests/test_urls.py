"""Canonical URL rules: every variant of one article must collapse to one key."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.utils.urls import canonicalize_url, registrable_domain, url_hash

ESPOS_ARTICLE = "https://solopos.espos.id/slug-2210681"


@pytest.mark.parametrize(
    "variant",
    [
        ESPOS_ARTICLE,
        f"{ESPOS_ARTICLE}/amp",
        f"{ESPOS_ARTICLE}/amp/",
        f"{ESPOS_ARTICLE}?utm_source=fb&fbclid=x#top",
        f"{ESPOS_ARTICLE}?utm_medium=social&utm_campaign=x&gclid=1",
        "http://SOLOPOS.espos.id:80/slug-2210681/amp?amp=1",
    ],
)
def test_espos_amp_and_tracking_variants_share_canonical_and_hash(variant: str) -> None:
    assert canonicalize_url(variant) == ESPOS_ARTICLE
    assert url_hash(canonicalize_url(variant)) == url_hash(ESPOS_ARTICLE)


def test_url_hash_is_sha1_of_utf8() -> None:
    url = "https://example.com/berita/ü"
    assert url_hash(url) == hashlib.sha1(url.encode("utf-8")).hexdigest()
    assert len(url_hash(url)) == 40


def test_scheme_becomes_https() -> None:
    assert canonicalize_url("http://example.com/a") == "https://example.com/a"


def test_host_lowercased_path_case_kept() -> None:
    assert (
        canonicalize_url("https://WWW.Example.COM/Berita/A") == "https://www.example.com/Berita/A"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
    ],
)
def test_default_port_dropped_other_ports_kept(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_fragment_removed() -> None:
    assert canonicalize_url("https://example.com/a#komentar") == "https://example.com/a"


@pytest.mark.parametrize(
    "param",
    [
        "utm_source=x",
        "utm_medium=x",
        "UTM_Campaign=x",
        "fbclid=x",
        "gclid=x",
        "dclid=x",
        "msclkid=x",
        "yclid=x",
        "igshid=x",
        "mc_cid=x",
        "mc_eid=x",
        "_ga=x",
        "ref=home",
        "amp",
        "amp=1",
        "page=all",
        "single=1",
        "single=true",
    ],
)
def test_tracking_and_reading_mode_params_removed(param: str) -> None:
    assert canonicalize_url(f"https://example.com/a?id=7&{param}") == "https://example.com/a?id=7"


def test_page_number_and_single_false_are_kept() -> None:
    assert canonicalize_url("https://example.com/a?page=2") == "https://example.com/a?page=2"
    assert canonicalize_url("https://example.com/a?single=0") == "https://example.com/a?single=0"


def test_extra_strip_params() -> None:
    url = "https://example.com/a?src=wa&id=1"
    assert canonicalize_url(url) == "https://example.com/a?id=1&src=wa"
    assert canonicalize_url(url, extra_strip_params=["SRC"]) == "https://example.com/a?id=1"


def test_remaining_params_sorted() -> None:
    assert canonicalize_url("https://example.com/a?b=2&a=1") == "https://example.com/a?a=1&b=2"


def test_query_mark_dropped_when_all_params_stripped() -> None:
    assert canonicalize_url("https://example.com/a/?utm_source=x") == "https://example.com/a/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/berita/judul/amp", "https://example.com/berita/judul"),
        ("https://example.com/berita/judul/amp/", "https://example.com/berita/judul"),
        ("https://example.com/amp/berita/judul", "https://example.com/berita/judul"),
        ("https://example.com/amp/berita/judul/", "https://example.com/berita/judul/"),
        ("https://example.com/amp", "https://example.com/"),
        (
            "https://example.com/berita/amp-lalu-lintas",
            "https://example.com/berita/amp-lalu-lintas",
        ),
        ("https://example.com/berita/rampung/", "https://example.com/berita/rampung/"),
    ],
)
def test_amp_path_segments_removed(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_trailing_slash_kept_as_given() -> None:
    assert canonicalize_url("https://example.com/a/") == "https://example.com/a/"
    assert canonicalize_url("https://example.com/a") == "https://example.com/a"


def test_same_site_canonical_hint_is_used() -> None:
    url = "https://solopos.espos.id/slug-2210681?page=2"
    hint = "https://www.espos.id/slug-2210681"
    assert canonicalize_url(url, canonical_hint=hint) == hint


def test_relative_canonical_hint_resolved_against_url() -> None:
    url = "https://solopos.espos.id/amp/slug-2210681"
    assert canonicalize_url(url, canonical_hint="/slug-2210681") == ESPOS_ARTICLE


@pytest.mark.parametrize(
    "hint",
    [
        "https://news.example.com/slug-2210681",
        "https://espos.id.example.com/slug-2210681",
        "ftp://solopos.espos.id/slug-2210681",
        "   ",
    ],
)
def test_unusable_canonical_hint_ignored(hint: str) -> None:
    url = f"{ESPOS_ARTICLE}/amp"
    assert canonicalize_url(url, canonical_hint=hint) == ESPOS_ARTICLE


def test_hint_under_three_label_suffix_must_share_the_third_label() -> None:
    url = "https://berita.semarangkota.go.id/a"
    other_agency = "https://jatengprov.go.id/a"
    assert canonicalize_url(url, canonical_hint=other_agency) == url
    same_agency = "https://semarangkota.go.id/a"
    assert canonicalize_url(url, canonical_hint=same_agency) == same_agency


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("solopos.espos.id", "espos.id"),
        ("jateng.tribunnews.com", "tribunnews.com"),
        ("www.radarsemarang.jawapos.com", "jawapos.com"),
        ("berita.semarangkota.go.id", "semarangkota.go.id"),
        ("www.undip.ac.id", "undip.ac.id"),
        ("news.example.co.id", "example.co.id"),
        ("example.com", "example.com"),
    ],
)
def test_registrable_domain(host: str, expected: str) -> None:
    assert registrable_domain(host) == expected


def test_blank_url_stays_blank() -> None:
    assert canonicalize_url("  ") == ""


SEGMENT = st.one_of(
    st.sampled_from(["amp", "AMP", "berita", "", "a b", "%2F", "ü", "2025", "slug-2210681"]),
    st.text(min_size=1, max_size=8),
)
PARAM_NAME = st.one_of(
    st.sampled_from(["utm_source", "fbclid", "amp", "page", "single", "ref", "id", "q", "utm%5Fx"]),
    st.text(min_size=1, max_size=6),
)
PARAM_VALUE = st.one_of(
    st.sampled_from(["", "1", "all", "true", "TRUE", "x y"]), st.text(max_size=6)
)


@st.composite
def article_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP"]))
    host = draw(st.sampled_from(["solopos.espos.id", "Jateng.TribunNews.com", "example.co.id"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(SEGMENT, max_size=5)))
    slash = draw(st.sampled_from(["", "/"]))
    pairs = draw(st.lists(st.tuples(PARAM_NAME, PARAM_VALUE), max_size=4))
    query = "&".join(f"{name}={value}" for name, value in pairs)
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    return f"{scheme}://{host}{port}/{path}{slash}{'?' if query else ''}{query}{fragment}"


@given(article_urls())
def test_canonicalize_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@given(article_urls(), st.sampled_from(["", "/other", "https://www.espos.id/x/amp", "//x.id/y"]))
def test_canonicalize_with_hint_is_idempotent(url: str, hint: str) -> None:
    once = canonicalize_url(url, canonical_hint=hint)
    assert canonicalize_url(once) == once
