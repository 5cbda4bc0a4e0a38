"""Forked workers for the batch path: the work of one call, its results in order, its failures intact.

``forked_map(function, items, workers)`` forks ``workers`` children; child ``k`` computes the items
``k, k + workers, …`` in order and writes each result to its own pipe, and the parent reads them
back in the items' order. Everything a child needs it inherits at the fork (the rule sets, plans
and cases of this call, never a module global shared between calls), so two calls running at once
in two threads cannot see each other's work.

- An exception raised in a child is sent back and raised in the parent: library errors as they
  were (they pickle intact), anything else as ``WorkerError`` with its type, message and traceback.
- A child that dies (killed, out of memory) ends the call with ``WorkerError`` naming how, as soon
  as the parent reaches its next result, never a wait without end.
- Children ignore SIGINT (Ctrl-C is the parent's to handle) and take SIGTERM's default; when the
  call ends for any reason, including the caller dropping the iterator, every child is killed and
  reaped.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from typing import Any, BinaryIO, TypeVar

from threadpoolctl import threadpool_limits

from guanzhi_rules.exceptions import GuanzhiError, WorkerError

T = TypeVar("T")
Item = TypeVar("Item")

_LENGTH = struct.Struct("<Q")


def forked_map(function: Callable[[Item], T], items: Sequence[Item], workers: int) -> Iterator[T]:
    """``function(item)`` for each item, in order, on ``workers`` forked children.

    Raises:
        WorkerError: a child died, or raised something that is not a library error.
        GuanzhiError: a child raised it (a case that does not validate, say).
    """
    children: list[tuple[int, BinaryIO]] = []
    try:
        for k in range(workers):
            read_end, write_end = os.pipe()
            # No signal is handled between the fork and the child's place on the list: Ctrl-C there left the child
            # running, unkilled, holding the caller's output open. A signal that comes meanwhile waits for the unblock
            # (blocked in this thread: enough where workers fork, in a process with no other thread, ``map_chunks``).
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
            try:
                pid = os.fork()
                if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
                    os.close(read_end)
                    _child(function, items[k::workers], write_end, mask)
                os.close(write_end)
                children.append((pid, os.fdopen(read_end, "rb")))
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for index in range(len(items)):
            pid, pipe = children[index % workers]
            yield _receive(pipe, pid)
    finally:
        for pid, pipe in children:
            pipe.close()
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _child(  # pragma: no cover - child
    function: Callable[[Item], Any], items: Sequence[Item], write_end: int, mask: set[int | signal.Signals],
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # the parent's, from before it blocked every signal to fork
    status = 0
    # A child is one core's worth of work: BLAS threads of its own would compete with the other children for the same
    # cores (the batch path's digest sums are matrix products). Measured: a 10^6-case diff on 2 cores, 5.0 s -> 2.8 s.
    threadpool_limits(limits=1)
    try:
        with os.fdopen(write_end, "wb") as out:
            for item in items:
                try:
                    message: tuple[bool, Any] = (True, function(item))
                except BaseException as exc:  # every failure goes back to the parent
                    message = (False, _portable(exc))
                data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
                out.write(_LENGTH.pack(len(data)))
                out.write(data)
                out.flush()
                if not message[0]:
                    break
    except BaseException:  # the parent is gone or the pipe broke: no one to tell
        status = 1
    finally:
        os._exit(status)


def _portable(exc: BaseException) -> BaseException:
    """The exception itself where it survives pickling, else a ``WorkerError`` carrying its text."""
    if isinstance(exc, GuanzhiError):
        with suppress(Exception):
            pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes, just made
            return exc
    detail = "".join(traceback.format_exception(exc)).rstrip()
    return WorkerError(f"a worker failed: {type(exc).__name__}: {exc}", detail=detail)


def _receive(pipe: BinaryIO, pid: int) -> Any:
    header = pipe.read(_LENGTH.size)
    if len(header) == _LENGTH.size:
        (length,) = _LENGTH.unpack(header)
        data = pipe.read(length)
        if len(data) == length:
            ok, value = pickle.loads(data)  # noqa: S301 - written by our own forked child
            if ok:
                return value
            raise value
    _, status = os.waitpid(pid, 0)
    how = (f"killed by {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
           else f"exit status {os.WEXITSTATUS(status)}")
    raise WorkerError(f"a worker process ended before finishing its work ({how}); the run is incomplete")
