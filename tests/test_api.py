from __future__ import annotations

import subprocess
import sys

import phrasefinder


def test_all_is_complete() -> None:
    public = {name for name in dir(phrasefinder) if not name.startswith("_") and name[0].isupper() or name in {"normalize", "read_documents"}}
    assert public - {"COLUMNS"} <= set(phrasefinder.__all__)
    for name in phrasefinder.__all__:
        assert hasattr(phrasefinder, name)


def test_importing_the_cli_does_not_load_heavy_modules() -> None:
    code = "import sys, phrasefinder.cli; print(' '.join(m for m in ('polars', 'jieba', 'trafilatura', 'pyarrow') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
