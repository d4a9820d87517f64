"""The grader's kernels are ready as soon as they answer on both channels
(painlab.grading.kernel_ready): jupyter_client's own wait then read IOPub until it had been quiet
for 0.2 s, which every kernel start of an autograde waited in full."""

from queue import Empty

import pytest

from painlab.grading import kernel_ready


class FakeChannel:
    """Hands out ``messages`` in order, one per call; records each call's timeout. ``None`` in
    the list is a call that finds nothing (the kernel is not up yet)."""

    def __init__(self, messages):
        self.messages = list(messages)
        self.timeouts = []

    async def get_msg(self, timeout=None):
        self.timeouts.append(timeout)
        if not self.messages or self.messages[0] is None:
            if self.messages:
                self.messages.pop(0)
            raise Empty
        return self.messages.pop(0)


class FakeClient:
    def __init__(self, shell, iopub, alive=True):
        self.shell_channel, self.iopub_channel = FakeChannel(shell), FakeChannel(iopub)
        self.requests = 0
        self.handled = None
        self.alive = alive

    def kernel_info(self):
        self.requests += 1

    def _handle_kernel_info_reply(self, reply):
        self.handled = reply

    async def _async_is_alive(self):
        return self.alive


def run(coroutine):
    """Drive ``coroutine`` by hand, with no event loop (another test's loop may be running in
    this thread): nothing the fakes await suspends, so one step runs it to the end."""
    with pytest.raises(StopIteration):
        coroutine.send(None)


REPLY = {"msg_type": "kernel_info_reply", "content": {}}
STATUS = {"msg_type": "status", "content": {"execution_state": "busy"}}


def test_ready_once_both_channels_answer_without_waiting_for_iopub_to_go_quiet():
    # The kernel misses the first request; the second is answered on shell and on IOPub, where
    # one more status is already waiting.
    client = FakeClient(shell=[None, REPLY], iopub=[STATUS, STATUS])
    run(kernel_ready._wait_for_ready(client, timeout=5))
    assert client.requests == 2
    assert client.handled is REPLY
    confirm, *drain = client.iopub_channel.timeouts
    assert confirm > 0  # IOPub must be connected: it waits for the kernel's first message there
    assert drain and all(t == 0 for t in drain)  # then only takes what has already arrived
    assert client.iopub_channel.messages == []


def test_a_reply_without_iopub_asks_again():
    # A reply on shell but nothing on IOPub: its subscription was not through yet.
    client = FakeClient(shell=[REPLY, REPLY], iopub=[None, STATUS])
    run(kernel_ready._wait_for_ready(client, timeout=5))
    assert client.requests == 2


def test_a_dead_kernel_is_reported():
    client = FakeClient(shell=[None], iopub=[], alive=False)
    with pytest.raises(RuntimeError, match="died"):
        kernel_ready._wait_for_ready(client, timeout=5).send(None)


def test_the_grader_starts_its_kernels_with_these_clients():
    from nbformat.v4 import new_notebook

    from painlab.grading.sandbox import SandboxedExecute

    execute = SandboxedExecute()
    execute.nb, execute._attempts = new_notebook(), []  # as preprocess sets them
    manager = execute.create_kernel_manager()
    assert manager.client_factory is kernel_ready.ReadyAsyncClient
    from painlab.grading.scoring import ScoringKernel

    kernel = ScoringKernel([])
    try:
        assert isinstance(kernel.kc, kernel_ready.ReadyBlockingClient)
        # the first request after the start gets its whole output
        outputs, reply = kernel.collect(kernel.send("print(6 * 7)"), timeout=10)
        assert reply["status"] == "ok"
        assert [o.get("text") for o in outputs] == ["42\n"]
    finally:
        kernel.shutdown()


def test_the_private_parts_of_jupyter_client_it_calls_are_there():
    # Called only when a kernel is slow to answer: a rename would show only then.
    from jupyter_client.client import KernelClient

    assert callable(KernelClient._handle_kernel_info_reply)
    assert callable(KernelClient._async_is_alive)


def test_a_scoring_kernel_that_never_answers_is_stopped_and_removed(monkeypatch):
    from pathlib import Path

    from painlab.grading.scoring import ScoringKernel

    started = []

    def never_ready(client, timeout=None):
        started.append(client.parent)
        raise RuntimeError("Kernel didn't respond")

    monkeypatch.setattr(kernel_ready.ReadyBlockingClient, "wait_for_ready", never_ready)
    with pytest.raises(RuntimeError, match="respond"):
        ScoringKernel([])
    (manager,) = started
    assert not manager.is_alive()
    assert not Path(manager.connection_file).parent.exists()
