"""Spider arguments (``-a NAME=VALUE``): declared once, checked before a crawl starts, listed
by ``scrapy crawl -h``.

Scrapy hands ``-a`` values to the spider as strings and finds a bad one only while building
the spider, inside the crawl, where it ends in a traceback (and a typo such as ``-a sinec=``
is silently ignored). The crawling commands check every argument against the spider's
declared ones first (``check_arguments``) and stop with one line naming the bad value.

A spider declares its arguments in ``arguments`` (``NewsSpider`` the common ones, the generic
spider its own); keyword parameters of a spider's ``__init__`` that it does not declare (an
outlet's own switch, such as detikjateng's ``include_jogja``) are found from the signature,
described by the sentence of the spider module's docstring that mentions ``-a <name>``.
Names starting with ``_`` (Scrapyd's ``_job``) are Scrapyd's, never checked.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.run.window import DateWindow, parse_bound

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})


class ArgumentError(ValueError):
    """A spider argument that cannot be used; the message names it and its value."""


def check_moment(value: str) -> None:
    try:
        parse_bound(value, end_of_day=False)
    except ValueError:
        raise ValueError("not a date: use YYYY-MM-DD or an ISO 8601 time") from None


def check_count(value: str) -> None:
    if not value.strip().isdigit():
        raise ValueError("not a whole number >= 0")


def check_flag(value: str) -> None:
    if value.strip().lower() not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError("not a yes/no value: use true or false")


def check_urls(value: str) -> None:
    urls = value.split()
    if not urls:
        raise ValueError("no URL given")
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http(s) URL")


def check_regex(value: str) -> None:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"not a regular expression ({error})") from None


def check_text(value: str) -> None:
    if not value.strip():
        raise ValueError("empty")


@dataclass(frozen=True)
class SpiderArgument:
    """One ``-a`` argument: its name, what it means, and a check that raises ValueError."""

    name: str
    help: str
    check: Callable[[str], None] = check_text
    metavar: str = "TEXT"


COMMON_ARGUMENTS = (
    SpiderArgument(
        "since",
        "start of the date window (WIB); default: the outlet's last good run minus the overlap",
        check_moment,
        "DATE",
    ),
    SpiderArgument(
        "until", "end of the date window; a date includes that whole day", check_moment, "DATE"
    ),
    SpiderArgument("url", "fetch this one article; no window applied", check_urls, "URL"),
    SpiderArgument(
        "max_articles", "request at most this many articles, the newest", check_count, "N"
    ),
    SpiderArgument(
        "refresh", "deliver again what earlier runs delivered", check_flag, "true|false"
    ),
)


def declared_arguments(spidercls: type) -> dict[str, SpiderArgument]:
    """Every argument the spider takes: its declared ones and its ``__init__``'s others."""
    found = {argument.name: argument for argument in getattr(spidercls, "arguments", ())}
    for klass in spidercls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass.__module__.startswith("scrapy."):
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY or (
                parameter.kind is parameter.POSITIONAL_OR_KEYWORD and parameter.name != "self"
            ):
                found.setdefault(parameter.name, undeclared_argument(klass, parameter))
    return found


def undeclared_argument(klass: type, parameter: inspect.Parameter) -> SpiderArgument:
    """An ``__init__`` parameter the spider does not declare: a flag when it takes a bool."""
    is_flag = "bool" in str(parameter.annotation)
    module = sys.modules.get(klass.__module__)
    return SpiderArgument(
        parameter.name,
        docstring_sentence(module.__doc__ if module else None, parameter.name)
        or f"see {klass.__module__}",
        check_flag if is_flag else check_text,
        "true|false" if is_flag else "TEXT",
    )


def docstring_sentence(doc: str | None, name: str) -> str | None:
    """The sentence of ``doc`` that mentions ``-a <name>``, on one line, without markup."""
    text = " ".join((doc or "").replace("``", "").split())
    for sentence in re.split(r"(?<=[.;])\s+", text):
        if f"-a {name}" in sentence:
            return sentence.rstrip(".;")
    return None


def check_arguments(spidercls: type, values: Mapping[str, str]) -> None:
    """Raise ``ArgumentError`` for an unknown or unusable ``-a`` value of ``spidercls``."""
    known = declared_arguments(spidercls)
    for name, value in values.items():
        if name.startswith("_"):
            continue
        argument = known.get(name)
        if argument is None:
            raise ArgumentError(
                f"-a {name}={value}: {spidercls.name} takes no argument {name!r} "
                f"(it takes: {', '.join(sorted(known))})"
            )
        try:
            argument.check(str(value))
        except ValueError as error:
            raise ArgumentError(f"-a {name}={value}: {error}") from None
    since, until = values.get("since"), values.get("until")
    if since and until:
        try:
            DateWindow.from_arguments(
                since, until, default_days=0, now=parse_bound(until, end_of_day=True)
            )
        except ValueError as error:
            raise ArgumentError(f"-a since={since} -a until={until}: {error}") from None
    cross_check = getattr(spidercls, "check_argument_values", None)
    if cross_check is not None:
        try:
            cross_check(values)
        except ValueError as error:
            raise ArgumentError(str(error)) from None


def describe_arguments(spiders: Iterable[type]) -> str:
    """The arguments of every spider, common ones first: the text ``scrapy crawl -h`` shows."""
    spiders = list(spiders)
    common = {argument.name for argument in COMMON_ARGUMENTS}
    lines = ["Spider arguments (-a NAME=VALUE), every outlet:"]
    lines += [_line(argument) for argument in COMMON_ARGUMENTS]
    for spidercls in spiders:
        own = [a for n, a in declared_arguments(spidercls).items() if n not in common]
        if own:
            lines.append(f"{spidercls.name} also takes:")
            lines += [_line(argument) for argument in own]
    return "\n".join(lines)


def _line(argument: SpiderArgument) -> str:
    return f"  {argument.name}={argument.metavar}".ljust(28) + f" {argument.help}"
