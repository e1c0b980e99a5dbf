"""A bulk pass (import, export) lets Python's cycle collector run less often, and puts it back as it was when the
last pass ends, whether passes overlap in threads or one fails: a server process keeps collecting as usual."""

import gc
import threading

import pytest

from kartei.core.bulk import BULK_COLLECTION_THRESHOLD, fewer_collections


def test_the_collector_is_as_before_after_a_pass_even_one_that_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold()[0] == BULK_COLLECTION_THRESHOLD
        assert gc.get_freeze_count() > 0
        raise RuntimeError("the file broke off")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_overlapping_passes_in_threads_put_the_collector_back_when_the_last_ends():
    before = gc.get_threshold()
    first_started, second_ended = threading.Event(), threading.Event()
    seen = []

    def first_pass():
        with fewer_collections():
            first_started.set()
            second_ended.wait(timeout=10)
            seen.append(gc.get_threshold()[0])  # the second pass ended first: still fewer collections

    thread = threading.Thread(target=first_pass)
    thread.start()
    first_started.wait(timeout=10)
    with fewer_collections():
        pass
    second_ended.set()
    thread.join(timeout=10)
    assert seen == [BULK_COLLECTION_THRESHOLD]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
