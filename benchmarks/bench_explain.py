"""Benchmark: `relaywiz explain` over a directory of bounces, against the bare stdlib parse.

Builds a directory of >= 600 messages from the explain corpus (each .eml sample
copied with other recipients, dates and message ids, so no two files are the
same), then, in one process, times `explain()` of every message against the
standard library's bare `email.message_from_bytes()` of the same bytes. Rounds
alternate the order of the two loops; the caches explain keeps are cleared at
the start of each explain round (so each round is a cold one-process run). The
figure is the median CPU time of explain divided by the median CPU time of the
bare parse (goal <= 1.5x). Also timed: the whole CLI (`relaywiz explain --json
DIR`, one process, start-up and JSON output included) against one process that
only reads and parses the same files. And the accuracy of explain on the whole
corpus (category and status), against the sidecar expectations.

Run: python3 benchmarks/bench_explain.py [--copies 3] [--rounds 7] [--keep DIR]
Offline; touches no network.
"""

from __future__ import annotations

import argparse
import email
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from relaywiz.core.bounce import (  # noqa: E402
    explain,
    remedies,
    rules,
    textbounce,
)
from tests.unit.explain.corpus import CORPUS, samples  # noqa: E402

_LOCAL = re.compile(rb"([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+\.[a-z]{2,})")


_CLOSE = re.compile(rb"\n--[^\r\n]*--[ \t]*\r?\n?\s*\Z")


def pad_original(data: bytes, kb: int) -> bytes:
    """`data` with `kb` KB of base64-like lines added at its end: inside the returned
    original (the last MIME part of a DSN, the tail of a plain-text bounce)."""
    if kb <= 0:
        return data
    pad = b"UEsDBBQACAgIAAAAIQAAAAAAAAAAAAAAAAAIAAAAcmVwb3J0LnBkZkpNT1ZFIE1FIE5PVCBB\n" * (
        kb * 1024 // 73 + 1
    )
    m = _CLOSE.search(data)
    if m:
        return data[: m.start()] + b"\n" + pad + data[m.start() :]
    return data.rstrip(b"\n") + b"\n\n" + pad


def build_directory(target: Path, copies: int, pad_kb: int = 0) -> list[Path]:
    """Write `copies` varied copies of every .eml sample into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    sources = sorted(CORPUS.rglob("*.eml"))
    written: list[Path] = []
    for k in range(copies):
        for i, src in enumerate(sources):
            data = src.read_bytes()
            if k:
                data = _LOCAL.sub(
                    lambda m, k=k: m.group(1) + b"." + str(k).encode() + b"@" + m.group(2), data
                )
                data = data.replace(b"2024", str(2024 - k).encode())
            path = target / f"{k:02d}-{i:04d}-{src.stem}.eml"
            path.write_bytes(pad_original(data, pad_kb))
            written.append(path)
    return written


def _clear_caches() -> None:
    rules._classify.cache_clear()
    remedies._provider_in.cache_clear()
    textbounce.cut_original.cache_clear()
    textbounce.lowered.cache_clear()


def _cpu(fn, datas: list[bytes]) -> float:  # type: ignore[no-untyped-def]
    t = time.process_time()
    for d in datas:
        fn(d)
    return time.process_time() - t


def in_process(datas: list[bytes], rounds: int) -> tuple[float, float]:
    """Median CPU seconds of (bare parse, explain) over all messages."""
    base: list[float] = []
    expl: list[float] = []
    for r in range(rounds):
        order = (0, 1) if r % 2 == 0 else (1, 0)
        for which in order:
            if which == 0:
                base.append(_cpu(email.message_from_bytes, datas))
            else:
                _clear_caches()
                expl.append(_cpu(explain, datas))
    return statistics.median(base), statistics.median(expl)


_PARSE_ONLY = (
    "import email, sys, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
    "    email.message_from_bytes(p.read_bytes())\n"
)


def end_to_end(directory: Path, rounds: int) -> tuple[float, float]:
    """Median wall seconds of (a parse-only process, `relaywiz explain --json DIR`)."""
    base: list[float] = []
    cli: list[float] = []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", _PARSE_ONLY, str(directory)], check=True)
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "relaywiz", "explain", "--json", str(directory)],
            stdout=subprocess.PIPE,
            check=False,
        )
        cli.append(time.perf_counter() - t)
        assert out.returncode in (0, 1, 2), out.returncode
    return statistics.median(base), statistics.median(cli)


def accuracy() -> dict[str, tuple[int, int]]:
    """(correct, total) for kind, category and status over the whole corpus."""
    from relaywiz.core.bounce.render import to_json_dict

    score = {"kind": [0, 0], "category": [0, 0], "status": [0, 0]}
    for s in samples():
        doc = to_json_dict(explain(s.path.read_bytes()))
        score["kind"][0] += doc["kind"] == s.expect.get("kind")
        score["kind"][1] += 1
        want = s.expect.get("recipients", [])
        got = doc["recipients"]
        if not want and "category" in s.expect:  # a non-failure: the document's category
            score["category"][0] += doc["category"] == s.expect["category"]
            score["category"][1] += 1
        for i, w in enumerate(want):
            g = got[i] if i < len(got) else {}
            if "category" in w:
                score["category"][0] += g.get("category") == w["category"]
                score["category"][1] += 1
            if "status" in w:
                score["status"][0] += g.get("status") == w["status"]
                score["status"][1] += 1
    return {k: (v[0], v[1]) for k, v in score.items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--cli-rounds", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="write the messages here and keep them")
    ap.add_argument(
        "--pad-kb",
        type=int,
        default=0,
        help="add this many KB to each returned original (real bounces return "
        "the whole message; the corpus keeps them short)",
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="relaywiz-bench-explain-"))
    directory = args.keep or tmp / "messages"
    try:
        paths = build_directory(directory, args.copies, args.pad_kb)
        datas = [p.read_bytes() for p in paths]
        n = len(datas)
        size = sum(map(len, datas))
        base, expl = in_process(datas, args.rounds)
        cli_base, cli = end_to_end(directory, args.cli_rounds)
        acc = accuracy()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ratio, cli_ratio = expl / base, cli / cli_base
    rows = [
        [
            "in one process, CPU time",
            f"{base * 1000:.0f} ms",
            f"{expl * 1000:.0f} ms",
            f"{ratio:.2f}x",
            f"{n / expl:.0f}",
        ],
        [
            "whole process, wall (CLI --json DIR)",
            f"{cli_base * 1000:.0f} ms",
            f"{cli * 1000:.0f} ms",
            f"{cli_ratio:.2f}x",
            f"{n / cli:.0f}",
        ],
    ]
    rows += [
        [f"accuracy: {k}", "", f"{ok}/{total}", f"{100 * ok / max(total, 1):.1f} %", ""]
        for k, (ok, total) in acc.items()
    ]
    # a person's reading on stderr, the machine-readable result on stdout (run_all.py)
    err = sys.stderr
    print(
        f"explain benchmark: {n} messages, {size / 1e6:.1f} MB, median of {args.rounds} rounds"
        f" (CLI: {args.cli_rounds})\n",
        file=err,
    )
    print("| measure | bare email parse | explain | ratio | explain messages/s |", file=err)
    print("|---|---|---|---|---|", file=err)
    for row in rows:
        print("| " + " | ".join(row) + " |", file=err)
    goal_met = ratio <= 1.5
    print(
        f"\ngoal explain / bare parse <= 1.5x: {'met' if goal_met else 'NOT met'} ({ratio:.2f}x)",
        file=err,
    )
    result = {
        "messages": n,
        "megabytes": round(size / 1e6, 2),
        "rounds": args.rounds,
        "bare_parse_cpu_ms": round(base * 1000, 1),
        "explain_cpu_ms": round(expl * 1000, 1),
        "ratio": round(ratio, 2),
        "messages_per_second": round(n / expl),
        "cli_wall_ms": round(cli * 1000, 1),
        "cli_messages_per_second": round(n / cli),
        "accuracy": {k: f"{ok}/{total}" for k, (ok, total) in acc.items()},
        "table": {
            "columns": ["measure", "bare email parse", "explain", "ratio", "explain messages/s"],
            "rows": rows,
        },
        "goals": {"explain / bare parse <= 1.5x": goal_met},
    }
    print(json.dumps(result))
    return 0 if goal_met else 1


if __name__ == "__main__":
    raise SystemExit(main())
