"""The collector is off while a page is read and back as it was afterwards, whatever happens."""

from __future__ import annotations

import gc

import pytest

from crawler.utils.garbage_collection import garbage_collection_paused


def test_the_collector_is_off_inside_and_on_again_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), garbage_collection_paused():
        assert not gc.isenabled()
        raise ValueError("a page that breaks extraction")
    assert gc.isenabled()


def test_a_collector_the_user_turned_off_stays_off():
    gc.disable()
    try:
        with garbage_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
