"""Build shim for ``scrapyd-deploy``, which builds eggs with ``python setup.py bdist_egg``.

Everything (metadata, package data, the ``scrapy`` entry point naming the settings) is in
pyproject.toml; without this file scrapyd-deploy would write its own setup.py that leaves out
the package data.
"""

from setuptools import setup

setup()
