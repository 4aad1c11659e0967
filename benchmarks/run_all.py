"""Run every benchmark in benchmarks/ and write each one's results into benchmarks/README.md.

One command for all figures: each `benchmarks/bench_*.py` present runs in turn
(one at a time: the figures are ratios within one run and the machine has few
cores), prints one JSON object on stdout, and its results become a table in the
README between the markers `<!-- run_all:NAME -->` and `<!-- /run_all:NAME -->`.
A benchmark whose section has no markers yet gets its block appended at the end;
everything outside the markers (each author's own description) is left as it is.
A JSON object with a "table" key ({"columns": [...], "rows": [[...], ...]}) is
drawn as that table; any other object as a figure/value table of its scalars; a
benchmark that prints plain text has its last 40 lines shown as printed.
Every block names the machine: CPU model, nproc, Python version, load average.

Run: python3 benchmarks/run_all.py [--only probe,startup] [--skip check] [--dry-run]
Exit code: 0 when every benchmark ran and met its goals, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
TIMEOUT_S = 3600


def machine() -> str:
    """One line describing this machine and the moment of the run."""
    cpu = platform.processor() or "unknown CPU"
    with_model = Path("/proc/cpuinfo")
    if with_model.exists():
        for line in with_model.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{now}; {os.cpu_count()} × {cpu} (nproc {len(os.sched_getaffinity(0))}); "
        f"Python {platform.python_version()}; {platform.system()} {platform.release()}; "
        f"load average {load} at start"
    )


def discover(only: set[str], skip: set[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    names = {p.stem.removeprefix("bench_"): p for p in found}
    unknown = (only | skip) - set(names)
    if unknown:
        raise SystemExit(f"run_all: no benchmark named {', '.join(sorted(unknown))}")
    return [p for n, p in names.items() if (not only or n in only) and n not in skip]


def parse_output(stdout: str) -> dict[str, Any] | None:
    """The first JSON object in `stdout` (text around it is ignored)."""
    decoder = json.JSONDecoder()
    for m in re.finditer(r"^\s*\{", stdout, re.MULTILINE):
        try:
            obj, _ = decoder.raw_decode(stdout, m.start() + m.group(0).index("{"))
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            return obj
    return None


def _cell(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _flatten(obj: dict[str, Any], prefix: str = "") -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    for key, value in obj.items():
        if key == "table":
            continue
        if isinstance(value, dict):
            rows += _flatten(value, f"{prefix}{key}.")
        else:
            rows.append((prefix + key, value))
    return rows


def render_table(result: dict[str, Any]) -> str:
    """A Markdown table of a benchmark's JSON result."""
    table = result.get("table")
    if isinstance(table, dict) and table.get("columns") and isinstance(table.get("rows"), list):
        cols = [_cell(c) for c in table["columns"]]
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table["rows"]]
        return "\n".join(lines)
    lines = ["| figure | value |", "|---|---|"]
    lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in _flatten(result)]
    return "\n".join(lines)


def block(name: str, command: str, host: str, body: str) -> str:
    return (
        f"<!-- run_all:{name} -->\n"
        f"Last `benchmarks/run_all.py` run of `{command}`: {host}\n\n"
        f"{body}\n"
        f"<!-- /run_all:{name} -->"
    )


def write_block(name: str, text: str) -> None:
    """Replace this benchmark's marked block in the README, or append it at the end."""
    readme = README.read_text() if README.exists() else "# Benchmarks\n"
    pattern = re.compile(
        rf"<!-- run_all:{re.escape(name)} -->.*?<!-- /run_all:{re.escape(name)} -->", re.DOTALL
    )
    if pattern.search(readme):
        readme = pattern.sub(lambda _m: text, readme, count=1)
    else:
        readme = readme.rstrip("\n") + f"\n\n### {name}: last run_all.py result\n\n{text}\n"
    tmp = README.with_suffix(".md.tmp")
    tmp.write_text(readme)
    tmp.replace(README)


def run_one(path: Path, host: str, dry_run: bool) -> tuple[bool, str]:
    """Run one benchmark; write its block; (goals met and it ran, one-line summary)."""
    name = path.stem.removeprefix("bench_")
    command = f"python3 benchmarks/{path.name}"
    print(f"run_all: {command} ...", file=sys.stderr, flush=True)
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, str(path)],
            cwd=HERE.parent,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired:
        code, out, err = -1, "", f"did not finish within {TIMEOUT_S} s"
    took = time.monotonic() - start
    result = parse_output(out)
    if result is None and out.strip():  # figures printed as text: shown as printed
        lines = out.strip().splitlines()[-40:]
        body = "```\n" + "\n".join(lines) + "\n```" + f"\n\n(exit {code}, {took:.0f} s)"
        ok = code == 0
    elif result is None:
        tail = " / ".join(err.strip().splitlines()[-3:]) or "no output"
        body = f"**did not produce results** (exit {code}): `{_cell(tail)}`"
        ok = False
    else:
        body = render_table(result)
        goals = result.get("goals")
        if isinstance(goals, dict) and goals:
            met = ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in goals.items())
            body += f"\n\nGoals: {met}."
        body += f"\n\n(exit {code}, {took:.0f} s)"
        ok = code == 0
    if not dry_run:
        write_block(name, block(name, command, host, body))
    summary = f"{name}: exit {code} in {took:.0f} s"
    print(f"run_all: {summary}", file=sys.stderr, flush=True)
    return ok, summary


def _names(text: str) -> set[str]:
    return {x.strip() for x in text.split(",") if x.strip()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated names (e.g. probe,startup)")
    parser.add_argument("--skip", default="", help="comma-separated names to leave out")
    parser.add_argument("--dry-run", action="store_true", help="run but do not write README")
    args = parser.parse_args()
    benches = discover(_names(args.only), _names(args.skip))
    host = machine()
    print(f"run_all: {len(benches)} benchmarks on {host}", file=sys.stderr)
    results = [run_one(p, machine(), args.dry_run) for p in benches]
    for _, summary in results:
        print(summary)
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
