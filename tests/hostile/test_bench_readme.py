"""benchmarks/run_all.py writes each benchmark's table between its markers and leaves
every other part of benchmarks/README.md as it was (the file is shared)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_all", ROOT / "benchmarks" / "run_all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "README", tmp_path / "README.md")
    return module


HAND = """# Benchmarks

Intro by hand.

## check

Someone's own words and their own table.

| a | b |
|---|---|
| 1 | 2 |

## probe

Description.

<!-- run_all:probe -->
old figures
<!-- /run_all:probe -->

Notes after the block.
"""


def test_blocks_are_replaced_or_appended_and_nothing_else_changes(run_all: ModuleType) -> None:
    readme: Path = run_all.README
    readme.write_text(HAND)
    table = run_all.render_table({"table": {"columns": ["x", "y"], "rows": [["1|2", 3]]}})
    run_all.write_block("probe", run_all.block("probe", "cmd", "machine", table))
    run_all.write_block("check", run_all.block("check", "cmd2", "machine", "body"))
    text = readme.read_text()
    assert "old figures" not in text
    assert "| x | y |\n|---|---|\n| 1\\|2 | 3 |" in text
    before = HAND.partition("<!-- run_all:probe -->")[0]
    assert text.startswith(before)  # everything above the block, untouched
    assert "Notes after the block." in text
    assert text.count("<!-- run_all:check -->") == 1  # no markers yet: appended at the end
    assert text.rstrip().endswith("<!-- /run_all:check -->")
    run_all.write_block("check", run_all.block("check", "cmd2", "machine", "body 2"))
    again = readme.read_text()
    assert again.count("<!-- run_all:check -->") == 1 and "body 2" in again
    assert again.replace("body 2", "body") == text


def test_json_is_found_among_other_output_and_flattened(run_all: ModuleType) -> None:
    out = 'warming up\n{\n  "ratio": 2.5,\n  "goals": {"x <= 3": true}\n}\nsummary line\n'
    result = run_all.parse_output(out)
    assert result == {"ratio": 2.5, "goals": {"x <= 3": True}}
    assert "| goals.x <= 3 | True |" in run_all.render_table(result)
    assert run_all.parse_output("no json here") is None


def test_a_benchmark_printing_plain_text_is_shown_as_printed(
    run_all: ModuleType, tmp_path: Path
) -> None:
    bench = tmp_path / "bench_plain.py"
    bench.write_text("print('ratio whole / slowest port: 1.10x (goal <= 1.5x)')\n")
    ok, summary = run_all.run_one(bench, "machine", dry_run=False)
    text = run_all.README.read_text()
    assert ok and summary.startswith("plain: exit 0")
    assert "```\nratio whole / slowest port: 1.10x (goal <= 1.5x)\n```" in text
    bench.write_text("import sys; sys.exit('broken')\n")
    ok, _ = run_all.run_one(bench, "machine", dry_run=False)
    assert not ok and "**did not produce results** (exit 1): `broken`" in run_all.README.read_text()
