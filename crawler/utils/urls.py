"""Canonical article URLs and their hashes.

One article reaches us under many addresses (AMP twin, share links with tracking
parameters, ``?page=all`` reading mode, http vs https).  Deduplication and the
delivered-store key on the canonical form, so every variant must map to one string.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url

#: Second-level public suffixes under .id: a site's registrable domain has three labels there.
THREE_LABEL_SUFFIXES = frozenset(
    {"co.id", "go.id", "or.id", "ac.id", "my.id", "web.id", "sch.id"},
)

#: Query parameters that only track the visitor or pick a rendering; never part of identity.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "ref",
        "amp",
    },
)

#: Query parameter name prefixes that mark tracking parameters.
TRACKING_PARAM_PREFIXES = ("utm_",)

#: (name, value) pairs that switch a page to a single-page reading mode of the same article.
READING_MODE_PARAMS = frozenset({("page", "all"), ("single", "1"), ("single", "true")})

#: Ports implied by a scheme; written out they only split one URL into two.
DEFAULT_PORTS = {"http": 80, "https": 443}

AMP_SEGMENT = "amp"


def registrable_domain(host: str) -> str:
    """The site part of a host name (``solopos.espos.id`` -> ``espos.id``)."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if ".".join(labels[-2:]) in THREE_LABEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def _same_site(url: str, other: str) -> bool:
    host, other_host = urlsplit(url).hostname, urlsplit(other).hostname
    if not host or not other_host:
        return False
    return registrable_domain(host) == registrable_domain(other_host)


def _usable_hint(url: str, canonical_hint: str | None) -> str | None:
    """The absolute hint, if it is http(s) and on the article's own site."""
    if not canonical_hint or not canonical_hint.strip():
        return None
    hint = urljoin(url, canonical_hint.strip())
    if urlsplit(hint).scheme not in DEFAULT_PORTS:
        return None
    return hint if _same_site(url, hint) else None


def _netloc(scheme: str, netloc: str, result_scheme: str = "https") -> str:
    """Lowercase host, user info as given; the default ports of the source scheme and of the
    result's scheme are dropped."""
    parts = urlsplit(f"{scheme}://{netloc}")
    try:
        port = parts.port
    except ValueError:
        return netloc.lower()
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    userinfo, _, _ = netloc.rpartition("@")
    prefix = f"{userinfo}@" if userinfo else ""
    implied = (DEFAULT_PORTS[scheme], DEFAULT_PORTS[result_scheme])
    suffix = f":{port}" if port is not None and port not in implied else ""
    return f"{prefix}{host}{suffix}"


def _strip_amp(path: str) -> str:
    """Remove an AMP ``/amp/`` prefix and a trailing ``/amp`` segment."""
    while True:
        if path.startswith(f"/{AMP_SEGMENT}/"):
            path = path[len(AMP_SEGMENT) + 1 :]
        elif path.rstrip("/").endswith(f"/{AMP_SEGMENT}"):
            path = path.rstrip("/")[: -len(AMP_SEGMENT) - 1].rstrip("/")
        else:
            return path or "/"


def _is_tracking(name: str, value: str, extra: frozenset[str]) -> bool:
    return (
        name in TRACKING_PARAMS
        or name in extra
        or name.startswith(TRACKING_PARAM_PREFIXES)
        or (name, value) in READING_MODE_PARAMS
    )


def _strip_params(query: str, extra: frozenset[str]) -> str:
    """Drop tracking pairs from an already sorted and escaped query string."""
    kept = []
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if not _is_tracking(unquote_plus(name).lower(), unquote_plus(value).lower(), extra):
            kept.append(pair)
    return "&".join(kept)


def canonicalize_url(
    url: str,
    *,
    canonical_hint: str | None = None,
    extra_strip_params: Iterable[str] = (),
    keep_scheme: bool = False,
) -> str:
    """The one address an article is known by.

    ``canonical_hint`` is the page's rel=canonical or og:url; it wins only when it is
    http(s) on the same site, because a cross-site canonical (syndication, a CDN, a
    mistake) would merge distinct articles. http becomes https (the outlets serve https and
    the two spellings must give one key) unless ``keep_scheme``: a URL to request or to
    deliver on a site that speaks plain http only must stay http.
    """
    extra = frozenset(name.lower() for name in extra_strip_params)
    return _canonical_url(url, canonical_hint, extra, keep_scheme)


#: A crawl asks for the same article's canonical URL about four times (its listing entry,
#: request, item and delivery keys); remembered for the most recent ones.
CANONICAL_URLS_REMEMBERED = 4096


@lru_cache(maxsize=CANONICAL_URLS_REMEMBERED)
def _canonical_url(
    url: str, canonical_hint: str | None, extra: frozenset[str], keep_scheme: bool
) -> str:
    if not url.strip():
        return ""
    source = _usable_hint(url, canonical_hint) or url
    escaped = urlsplit(w3lib_canonicalize_url(source.strip(), keep_fragments=False))
    scheme = escaped.scheme.lower()
    result_scheme = scheme if keep_scheme or scheme not in DEFAULT_PORTS else "https"
    netloc = (
        _netloc(scheme, escaped.netloc, result_scheme)
        if scheme in DEFAULT_PORTS
        else escaped.netloc
    )
    return urlunsplit(
        (
            result_scheme,
            netloc,
            _strip_amp(escaped.path),
            _strip_params(escaped.query, extra) if escaped.query else "",
            "",
        ),
    )


def url_hash(canonical_url: str) -> str:
    """SHA-1 hex digest of the canonical URL: the article's key in stores and dedup."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()
