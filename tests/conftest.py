"""Shared fixtures: the data directory, the mini knowledge base, and a way to break it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import evidence_kb as ekb

DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def mini_kb() -> ekb.KnowledgeBase:
    return ekb.load(DATA_DIR / "mini")


@pytest.fixture
def broken_kb(tmp_path: Path):
    """Return a function that copies the mini KB and replaces one file with a bad one."""

    def make(bad_name: str) -> Path:
        target = tmp_path / "kb"
        shutil.copytree(DATA_DIR / "mini", target)
        kind, _, rest = bad_name.partition("--")
        suffix = Path(rest).suffix
        shutil.copy(DATA_DIR / "bad" / bad_name, target / f"{kind}{suffix}")
        return target

    return make
