"""A knowledge base as it was at a git revision: ``git archive`` into a temporary directory.

``evidence-kb diff HEAD~1 data/`` compares the directory with itself one commit ago. A revision
is written as git writes it: ``REV:PATH`` (PATH from the top of the repository, or ``./PATH``
from the current directory), or a bare ``REV`` together with a directory whose past is meant.
Only this module runs git; the directory is removed when the ``with`` block ends.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from evidence_kb.model.errors import InputError, Problem

__all__ = ["git_top_level", "replaced_file", "revision_dir"]


def _git(args: list[str], cwd: Path, what: str) -> bytes:
    """The output of ``git args`` run in ``cwd``; an ``InputError`` naming ``what`` if it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        msg = "git is not installed (needed to read a revision)"
        raise InputError([Problem(what, None, None, None, msg)]) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        msg = f"git {' '.join(args)} failed: {reason[-1] if reason else 'no message'}"
        raise InputError([Problem(what, None, None, None, msg)])
    return done.stdout


def git_top_level(path: str | os.PathLike[str]) -> Path | None:
    """The top directory of the git work tree that holds ``path``, or ``None`` (not in one)."""
    path = Path(path)
    where = path if path.is_dir() else path.parent
    try:
        out = _git(["rev-parse", "--show-toplevel"], where, str(path))
    except InputError:
        return None
    return Path(out.decode().strip())


def _tree_ish(spec: str, like: Path | None) -> tuple[str, Path]:
    """The ``REV:PATH`` git understands for ``spec``, and the directory to run git in."""
    if ":" in spec:
        return spec, Path.cwd()
    if like is None:
        msg = (
            f"{spec!r} is neither a directory nor REV:PATH; give a revision with its path "
            "(HEAD~1:data) or a bare revision together with a directory"
        )
        raise InputError([Problem(spec, None, None, None, msg)])
    where = like if like.is_dir() else like.parent
    prefix = _git(["rev-parse", "--show-prefix"], where, str(like)).decode().strip()
    top = _git(["rev-parse", "--show-toplevel"], where, str(like)).decode().strip()
    return f"{spec}:{prefix}", Path(top)


@contextmanager
def revision_dir(spec: str, *, like: str | os.PathLike[str] | None = None) -> Iterator[Path]:
    """Yield a temporary directory holding the knowledge base as it was at a git revision.

    Parameters
    ----------
    spec
        ``REV:PATH`` (``HEAD~1:data``, ``main:./kb``) or a bare revision (``HEAD~1``) when
        ``like`` is given.
    like
        The directory whose past a bare revision means (the other side of a diff).

    Raises
    ------
    InputError
        If git is missing, the revision or path is unknown, or the path is a file.
    """
    tree_ish, where = _tree_ish(spec, Path(like) if like is not None else None)
    try:
        archive = _git(["archive", "--format=tar", tree_ish], where, spec)
    except InputError as err:
        msg = (
            f"is not a knowledge-base directory, and git cannot read it as a revision "
            f"({err.problem_list[0].message}); give a directory, REV:PATH or a bare revision"
        )
        raise InputError([Problem(spec, None, None, None, msg)]) from None
    target = Path(tempfile.mkdtemp(prefix="ekb-revision-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
        yield target
    finally:
        shutil.rmtree(target, ignore_errors=True)


@contextmanager
def replaced_file(data_dir: str | os.PathLike[str], name: str, text: str) -> Iterator[Path]:
    """Yield a temporary copy of the directory ``data_dir`` in which file ``name`` holds ``text``
    (to validate a merged table together with the files beside it)."""
    target = Path(tempfile.mkdtemp(prefix="ekb-merged-")) / "kb"
    try:
        shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns(".git"))
        (target / name).write_text(text, encoding="utf-8")
        yield target
    finally:
        shutil.rmtree(target.parent, ignore_errors=True)
