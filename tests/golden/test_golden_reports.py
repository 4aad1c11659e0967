"""Golden reports: the same recorded evidence must always render the same text, JSON,
Markdown and Nagios output. Regenerate on purpose with RELAYWIZ_UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from relaywiz.core import report as rep
from relaywiz.core.diagnose import diagnose
from tests.golden.evidence import HOTEL, hotel_evidence

HERE = Path(__file__).parent
RENDERERS = {
    "hotel.txt": lambda r: rep.render_text(r, verbose=True),
    "hotel.json": rep.render_json,
    "hotel.md": rep.render_markdown,
    "hotel.nagios": rep.render_nagios,
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_golden(name: str) -> None:
    rendered = RENDERERS[name](diagnose(hotel_evidence(), HOTEL))
    path = HERE / name
    if os.environ.get("RELAYWIZ_UPDATE_GOLDEN") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with RELAYWIZ_UPDATE_GOLDEN=1"
    assert rendered == path.read_text(encoding="utf-8")


def test_golden_json_follows_the_schema() -> None:
    doc = json.loads((HERE / "hotel.json").read_text())
    jsonschema.validate(doc, rep.load_schema())
    assert doc["recommendation"]["port"] == 587
    assert doc["recommendation"]["security"] == "starttls"
