"""Run one large, independent step in a second process while this one does another.

Two steps of :func:`evidence_kb.load` and :func:`evidence_kb.build_graph` need nothing from
what runs beside them: parsing ``references.bib`` (beside reading the CSV tables) and tagging
the findings with concepts (beside making the graph's nodes and edges). On a machine with a
second core, :func:`beside` runs such a step in a forked child and hands back its result (or
re-raises its exception) when the caller asks for it; otherwise the step runs in-process, when
asked for. Either way the caller gets the same value.

A child is forked only where that is safe and pays:

- on Linux (``fork`` is the platform's start method there; elsewhere ``spawn`` would import the
  library again and pickle the input, which costs what it saves: measured, 2.56 s against
  2.51 s in-process for the .bib beside the findings at 100,000), with more than one core for
  this process, one thread alive (forking a threaded process, such as a Jupyter kernel, can
  deadlock the child), and not in a daemonic process (a ``multiprocessing.Pool`` worker may
  not start one): otherwise in-process;
- for a step large enough (each caller names its threshold): starting a process, pickling the
  result back and reading it cost some 0.05-0.1 s, so small knowledge bases stay in-process;
- unless ``EVIDENCE_KB_WORKERS=1`` (one process, never a child). ``EVIDENCE_KB_WORKERS=force``
  forks whatever the size (the tests use it to compare both paths).

The child is the ``multiprocessing`` ``fork`` context's :class:`~multiprocessing.Process`: its
input is inherited, not pickled; only the result travels back, pickled once. The child is
joined (or, if the caller leaves early, terminated) when the ``with`` block ends: no process is
left behind. The gain needs the second core free: on a machine where another program keeps
it busy, the two processes share one core and load + build take as long as in one process.
This module imports nothing of the library.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

__all__ = ["WORKERS_ENV", "Pending", "beside", "use_worker"]

T = TypeVar("T")

WORKERS_ENV = "EVIDENCE_KB_WORKERS"  # "1": never a second process; "force": whatever the size


def use_worker(size: int, threshold: int) -> bool:
    """Whether a step of ``size`` (in its caller's unit) runs in a forked child."""
    setting = os.environ.get(WORKERS_ENV, "").strip().lower()
    if setting == "1" or not _fork_is_safe():
        return False
    return setting == "force" or size >= threshold


def _fork_is_safe() -> bool:
    # a daemonic process (a multiprocessing.Pool worker) may not have children of its own
    return (
        sys.platform == "linux"
        and len(os.sched_getaffinity(0)) > 1
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


class Pending(Generic[T]):
    """The result of a step started by :func:`beside`: :meth:`result` waits for it."""

    def __init__(self, fn: Callable[..., T], args: tuple, *, fork: bool, first: bool) -> None:
        self._fn, self._args = fn, args
        self._process: Any = None
        self._conn: Any = None
        self._value: tuple[T] | None = None
        if not fork and first:  # in-process, in the caller's order: now
            self._value = (fn(*args),)
        elif fork:
            context = multiprocessing.get_context("fork")
            self._conn, child_end = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(child_end, fn, args))
            self._process.start()
            child_end.close()

    def result(self) -> T:
        """The step's value; its exception re-raised if it raised one."""
        if self._value is not None:
            return self._value[0]
        if self._process is None:
            return self._fn(*self._args)
        try:
            ok, value = pickle.loads(self._conn.recv_bytes())
        except EOFError:  # the child died without a word (killed, out of memory)
            name = getattr(self._fn, "__name__", "a step")
            msg = f"the worker process for {name} ended without a result"
            raise RuntimeError(msg) from None
        finally:
            self.close()
        if not ok:
            if isinstance(value, tuple):  # (_rebuilt, state): see _pickled_error
                value = value[0](*value[1])
            raise value
        return value

    def close(self) -> None:
        """Stop and reap the child, if there is one still running."""
        if self._process is None:
            return
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._process.close()
        self._process = None
        self._fn = _gone  # a second result() after close must not run the step again

    @property
    def in_child(self) -> bool:
        """Whether the step runs in a second process."""
        return self._process is not None


def _gone(*args: Any) -> Any:
    msg = "the result of this step was already taken"
    raise RuntimeError(msg)


@contextmanager
def beside(
    fn: Callable[..., T], *args: Any, fork: bool, first: bool = False
) -> Iterator[Pending[T]]:
    """``fn(*args)`` started in a forked child when ``fork`` (see :func:`use_worker`).

    Use it as ``with beside(fn, x, fork=use_worker(n, LIMIT)) as pending: ...;
    value = pending.result()``. ``first`` says where the step stands in the one-process order:
    before the block (``True``) or where ``result()`` is called. In-process, it runs there;
    with a child, an exception of the block is raised only when the step did not raise first,
    so either way the caller sees the exception the one-process order would raise.
    """
    pending = Pending(fn, args, fork=fork, first=first)
    try:
        yield pending
    except Exception:
        if first and pending.in_child:
            pending.result()  # the step's own exception, if any, is the one to raise
        raise
    finally:
        pending.close()


def _child(conn: Any, fn: Callable[..., Any], args: tuple) -> None:
    """In the child: run ``fn``, send back ``(True, value)`` or ``(False, exception)``."""
    try:
        try:
            payload = pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as err:  # every exception goes back to the caller
            payload = _pickled_error(err)
        conn.send_bytes(payload)
    finally:
        conn.close()


def _pickled_error(err: BaseException) -> bytes:
    """``(False, err)`` pickled so that the caller gets the same exception back.

    An exception whose ``__init__`` takes other arguments than its ``args`` (InputError takes
    its problems) cannot be unpickled the usual way; it travels as class, ``args`` and
    ``__dict__`` and is rebuilt without calling ``__init__`` (:func:`_rebuilt`).
    """
    try:
        payload = pickle.dumps((False, err), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # small; proves the caller can read it
        return payload
    except Exception:  # pickling can fail in many ways; try the plain state
        pass
    try:
        state = (type(err), err.args, dict(vars(err)))
        return pickle.dumps((False, (_rebuilt, state)), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # say at least what was raised
        msg = f"{type(err).__name__}: {err} (raised in the worker process)"
        return pickle.dumps((False, RuntimeError(msg)), protocol=pickle.HIGHEST_PROTOCOL)


def _rebuilt(cls: type[BaseException], args: tuple, state: dict) -> BaseException:
    """An exception of ``cls`` with ``args`` and attributes ``state``, ``__init__`` not called."""
    err = cls.__new__(cls, *args)
    err.args = args
    err.__dict__.update(state)
    return err
