"""A faster ``wait_for_ready`` for the kernels the grader starts.

jupyter_client's ``wait_for_ready`` asks the kernel for its info until it answers on the shell
and IOPub channels, then reads IOPub until that has been quiet for 0.2 s. Every kernel start
waited that 0.2 s in full: about a quarter of the grading of a quiz notebook. Here the last step
takes only what has already arrived. What it leaves behind is the kernel's status for its info
requests, which nobody reads: nbclient, the capture of answers and the scoring kernel each keep
only the messages whose parent is a request of their own.
"""

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.utils import run_sync
from jupyter_core.utils import ensure_async


async def _wait_for_ready(client, timeout: float | None = None) -> None:
    deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
    while True:
        client.kernel_info()
        try:
            reply = await ensure_async(client.shell_channel.get_msg(timeout=1))
        except Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply":
            try:
                # IOPub is connected once a message of the kernel's arrives on it.
                await ensure_async(client.iopub_channel.get_msg(timeout=0.2))
            except Empty:
                pass
            else:
                client._handle_kernel_info_reply(reply)
                break
        if not await client._async_is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
    while True:  # what has arrived so far, without waiting for more
        try:
            await ensure_async(client.iopub_channel.get_msg(timeout=0))
        except Empty:
            return


class ReadyAsyncClient(AsyncKernelClient):
    wait_for_ready = _wait_for_ready


class ReadyBlockingClient(BlockingKernelClient):
    wait_for_ready = run_sync(_wait_for_ready)
