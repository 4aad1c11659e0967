"""Every corpus sample gives what a mail administrator would conclude from it."""

from __future__ import annotations

import pytest

from tests.unit.explain.corpus import Sample, mismatches, samples

SAMPLES = samples()


def test_corpus_is_big_enough() -> None:
    assert len(SAMPLES) >= 150


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.id)
def test_sample(sample: Sample) -> None:
    problems = mismatches(sample)
    assert not problems, "\n".join(problems)
