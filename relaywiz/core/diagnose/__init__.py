"""Judgement: recorded evidence (and the user's situation) in, findings and one recommendation out.

Pure functions only; the probe collects, this package decides. Finding ids live
in `relaywiz.core.diagnose.catalogue`.
"""

from relaywiz.core.diagnose.catalogue import ALL_IDS, CATALOGUE
from relaywiz.core.diagnose.engine import diagnose, exit_code
from relaywiz.core.model import Report

__all__ = ["ALL_IDS", "CATALOGUE", "Report", "diagnose", "exit_code"]
