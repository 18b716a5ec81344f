"""Scrapy's generator-return check, run once here instead of on every response.

The project turns ``WARN_ON_GENERATOR_RETURN_VALUE`` off (crawler/settings.py says why);
a generator callback that returns a value would lose it silently, so every generator method
of every spider is checked with Scrapy's own function.
"""

from __future__ import annotations

import inspect

from scrapy.spiderloader import get_spider_loader
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.project import get_project_settings


def generator_methods() -> dict[str, object]:
    loader = get_spider_loader(get_project_settings())
    methods = {}
    for name in loader.list():
        for klass in loader.load(name).__mro__:
            if not klass.__module__.startswith("crawler."):
                continue
            for attribute, value in vars(klass).items():
                if inspect.isgeneratorfunction(value):
                    methods[f"{klass.__module__}.{klass.__name__}.{attribute}"] = value
    return methods


def test_the_project_turns_the_per_response_check_off():
    assert get_project_settings().getbool("WARN_ON_GENERATOR_RETURN_VALUE") is False


def test_no_generator_method_of_a_spider_returns_a_value():
    methods = generator_methods()
    assert any(name.endswith(".parse_article") for name in methods)
    returning = [name for name, method in methods.items() if is_generator_with_return_value(method)]
    assert returning == []
