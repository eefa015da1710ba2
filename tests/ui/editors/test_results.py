"""Whoever reacts to a save (the browser revealing rows, the membership panel dropping the
decided requests) walks the outcome as one list, whether one change was made or a batch."""

from __future__ import annotations

from viva_desktop.ui.editors.writer import BatchResult, Operation, WriteResult, results_of


def test_one_result_and_a_batch_are_walked_alike() -> None:
    sent = WriteResult(Operation("offers", "create"), queued=False)
    queued = WriteResult(Operation("offers", "delete", target_id="7"), queued=True)
    assert results_of(sent) == [sent]
    assert results_of(BatchResult([sent, queued], [])) == [sent, queued]


def test_a_batch_that_made_nothing_gives_nothing_to_walk() -> None:
    refused = Operation("membership_requests", "approve", target_id="r1")
    assert results_of(BatchResult([], [(refused, ValueError("no"))])) == []
