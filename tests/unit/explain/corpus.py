"""Walking the explain corpus: every sample with its sidecar expectation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relaywiz.core.bounce import explain
from relaywiz.core.bounce.render import to_json_dict

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "explain"
EXTENSIONS = ("eml", "txt", "log")


@dataclass(frozen=True)
class Sample:
    """One corpus file and what a mail administrator expects of it."""

    path: Path
    expect: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.path.relative_to(CORPUS))


def samples() -> list[Sample]:
    """Every sample under the corpus (lab/ included), sorted by path."""
    out: list[Sample] = []
    for sidecar in sorted(CORPUS.rglob("*.expect.json")):
        stem = sidecar.name[: -len(".expect.json")]
        for ext in EXTENSIONS:
            path = sidecar.with_name(f"{stem}.{ext}")
            if path.exists():
                out.append(Sample(path, json.loads(sidecar.read_text(encoding="utf-8"))))
                break
        else:
            raise FileNotFoundError(f"{sidecar}: no sample beside it")
    return out


def mismatches(sample: Sample) -> list[str]:
    """What differs between the expectation and explain's result (empty: all as expected)."""
    doc = to_json_dict(explain(sample.path.read_bytes()))
    problems: list[str] = []
    if "kind" in sample.expect and doc["kind"] != sample.expect["kind"]:
        problems.append(f"kind {doc['kind']!r} != {sample.expect['kind']!r}")
    if "category" in sample.expect and doc["category"] != sample.expect["category"]:
        problems.append(f"category {doc['category']!r} != {sample.expect['category']!r}")
    want = sample.expect.get("recipients")
    if want is not None:
        got = doc["recipients"]
        if len(got) != len(want):
            problems.append(
                f"{len(got)} recipients, expected {len(want)}: "
                + ", ".join(f"{r['address']}={r['category']}" for r in got)
            )
        for i, (w, g) in enumerate(zip(want, got, strict=False)):
            for key, value in w.items():
                if g.get(key) != value:
                    problems.append(
                        f"recipient {i} {key}: {g.get(key)!r} != {value!r}"
                        f" (diagnostic: {g['diagnostic'][:100]!r})"
                    )
    return problems
