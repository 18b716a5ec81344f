"""Helpers for running spiders offline: the fixture web server."""
