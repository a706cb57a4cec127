from __future__ import annotations

import subprocess
import sys
import types

import phrasefinder


def test_all_is_complete() -> None:
    public = {n for n, v in vars(phrasefinder).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)}
    assert public == set(phrasefinder.__all__)


def test_importing_the_cli_does_not_load_heavy_modules() -> None:
    code = "import sys, phrasefinder.cli; print(' '.join(m for m in ('polars', 'jieba', 'trafilatura', 'pyarrow') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
