"""Read WordPress REST API post objects (``/wp-json/wp/v2/posts``) into article fields.

A post object states what the HTML page only shows: machine dates (``date_gmt``), the title,
the author and category/tag names (with ``_embed``) and the rendered content without the
theme around it. So a WordPress outlet's article needs no page fetch and no selector guess;
the content still goes through the same paragraph splitting and cleaning as any page body,
because plugins inject share bars, "Baca juga" boxes and captions into it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.extraction.authors import clean_name
from crawler.extraction.block import parse_html, split_paragraphs
from crawler.extraction.cleaning import clean_paragraphs, collapse_whitespace
from crawler.extraction.dateline import find_dateline
from crawler.extraction.generic import title_key
from crawler.extraction.result import ExtractedArticle
from crawler.extraction.selectors import select
from crawler.utils.timezones import WIB
from crawler.utils.urls import registrable_domain

#: The extraction layer name recorded for every field read from a REST post.
REST_LAYER = "wp-rest"

#: Category names WordPress gives posts nobody filed (English and Indonesian installs).
UNFILED_CATEGORIES = frozenset({"uncategorized", "tak berkategori", "tidak berkategori"})

#: Post statuses a public article can have; anything else is not delivered.
PUBLIC_STATUSES = frozenset({"publish"})

#: How an HTML page (a site answering the API URL with its home page) begins.
HTML_STARTS = (b"<!doctype html", b"<html")

#: WordPress writes "no date" as zeros (drafts never scheduled).
_ZERO_DATE = re.compile(r"^0000-00-00")


class NotRestPosts(ValueError):
    """The body is not a REST posts collection (an HTML page, an error object, junk)."""


@dataclass
class RestError:
    """A REST error object: ``{"code": "rest_no_route", "message": ..., "data": {...}}``."""

    code: str
    message: str = ""
    status: int | None = None


@dataclass
class RestPost:
    """One post of a REST listing, with the article fields it states."""

    id: int
    link: str
    type: str = "post"
    status: str = "publish"
    #: True for password-protected posts: their content is hidden, they are not public news.
    protected: bool = False
    article: ExtractedArticle = field(default_factory=ExtractedArticle)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and not self.protected

    @property
    def has_body(self) -> bool:
        """Whether the REST content alone yields the story (else the page must be read)."""
        return bool(self.article.body)


def read_rest_error(body: bytes | str) -> RestError | None:
    """The REST error object in a response body, or None when the body is not one."""
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        return None
    data = value.get("data")
    status = data.get("status") if isinstance(data, dict) else None
    return RestError(
        value["code"], str(value.get("message") or ""), status if isinstance(status, int) else None
    )


def read_rest_listing(body: bytes | str) -> list[dict[str, Any]]:
    """The post objects of a REST collection response.

    Raises NotRestPosts when the body is not a JSON list: WordPress with the API disabled
    answers with an HTML page (often the home page, status 200) or an error object.
    """
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        head = (body.encode() if isinstance(body, str) else body)[:200].lstrip().lower()
        if head.startswith(HTML_STARTS):
            raise NotRestPosts("an HTML page instead of JSON") from exc
        raise NotRestPosts(f"not JSON: {exc}") from exc
    if not isinstance(value, list):
        error = read_rest_error(body)
        described = f"error {error.code}" if error else f"a JSON {type(value).__name__}"
        raise NotRestPosts(f"expected a list of posts, got {described}")
    return [post for post in value if isinstance(post, dict)]


def read_rest_post(
    post: dict[str, Any],
    *,
    noise: Iterable[str] = (),
    dateline_pattern: str | None = None,
) -> RestPost | None:
    """The article fields of one post object; None when it has no id or link.

    ``noise`` are the outlet's CSS selectors of elements to skip in the content;
    ``dateline_pattern`` its dateline regex (group "place").
    """
    post_id, link = post.get("id"), post.get("link")
    if not isinstance(post_id, int) or not isinstance(link, str) or not link.strip():
        return None
    content = post.get("content") if isinstance(post.get("content"), dict) else {}
    article = ExtractedArticle()
    fields: dict[str, Any] = {
        "url": link.strip(),
        "title": rendered_text(_rendered(post.get("title"))),
        "published": rest_datetime(post.get("date_gmt"), post.get("date")),
        "modified": rest_datetime(post.get("modified_gmt"), post.get("modified")),
        "authors": embedded_authors(post, link),
        "section": next(
            (
                name
                for name in embedded_terms(post, "category")
                if name.casefold() not in UNFILED_CATEGORIES
            ),
            None,
        ),
        "tags": embedded_terms(post, "post_tag"),
        "body": content_paragraphs(_rendered(content), noise),
    }
    if (
        fields["body"]
        and fields["title"]
        and title_key(fields["body"][0]) == title_key(fields["title"])
    ):
        fields["body"] = fields["body"][1:]
    for name, value in fields.items():
        if value not in (None, "", []):
            setattr(article, name, value)
            article.layers[name] = REST_LAYER
    if article.body:
        article.dateline = find_dateline(article.body[0], dateline_pattern)
    return RestPost(
        id=post_id,
        link=link.strip(),
        type=str(post.get("type") or "post"),
        status=str(post.get("status") or "publish"),
        protected=bool(content.get("protected")),
        article=article,
    )


def _rendered(value: Any) -> str:
    """The ``rendered`` HTML of a REST field (``{"rendered": ...}``), or a plain string."""
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def rendered_text(fragment: str) -> str | None:
    """Plain text of a rendered HTML fragment (a title with ``&#8211;`` or ``<em>``)."""
    if not fragment.strip():
        return None
    root = parse_html(f"<html><body><div>{fragment}</div></body></html>")
    text = collapse_whitespace(html.unescape(root.text_content()))
    return text or None


def rest_datetime(gmt: Any, local: Any) -> datetime | None:
    """Aware WIB time from ``*_gmt`` (UTC, naive ISO), else from the site-local value.

    The site-local value is taken as WIB: every outlet we crawl is on Java, and the GMT field
    is missing only for posts that were never scheduled.
    """
    for text, zone in ((gmt, UTC), (local, WIB)):
        if not isinstance(text, str) or not text.strip() or _ZERO_DATE.match(text):
            continue
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.astimezone(WIB)
    return None


def _embedded(post: dict[str, Any], key: str) -> list[Any]:
    embedded = post.get("_embedded")
    value = embedded.get(key) if isinstance(embedded, dict) else None
    return value if isinstance(value, list) else []


def _name_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def embedded_authors(post: dict[str, Any], link: str) -> list[str]:
    """Names of the embedded authors that are people.

    Shared accounts ("admin", "Redaksi") and accounts named after the site itself are not
    authors; an author embed the site refuses (an error object) is skipped.
    """
    site_label = _name_key(registrable_domain(urlsplit(link).hostname or "").split(".")[0])
    names: list[str] = []
    for author in _embedded(post, "author"):
        raw = author.get("name") if isinstance(author, dict) else None
        name = clean_name(html.unescape(raw)) if isinstance(raw, str) else None
        if not name or (len(site_label) >= 4 and site_label in _name_key(name)):
            continue
        if name not in names:
            names.append(name)
    return names


def embedded_terms(post: dict[str, Any], taxonomy: str) -> list[str]:
    """Names of the embedded terms of one taxonomy ("category", "post_tag"), in REST order."""
    names: list[str] = []
    for group in _embedded(post, "wp:term"):
        for term in group if isinstance(group, list) else []:
            if not isinstance(term, dict) or term.get("taxonomy") != taxonomy:
                continue
            name = collapse_whitespace(html.unescape(str(term.get("name") or "")))
            if name and name not in names:
                names.append(name)
    return names


def content_paragraphs(fragment: str, noise: Iterable[str] = ()) -> list[str]:
    """Clean paragraphs of rendered post content (the outlet's noise selectors skipped)."""
    if not fragment.strip():
        return []
    root = parse_html(f"<html><body><div>{fragment}</div></body></html>")
    container = root.find("body/div")
    if container is None:
        return []
    skipped = [element for css in noise for element in select(container, css)]
    return clean_paragraphs(split_paragraphs(container, skipped))
