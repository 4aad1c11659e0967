"""Renderings of a Report: JSON (a versioned contract), text, Markdown ticket, Nagios line.

Every face prints through here, so a report reads the same in the CLI, the
wizard's saved files and a monitoring system.
"""

from relaywiz.core.report.jsonout import SCHEMA_VERSION, load_schema, render_json, to_json_dict
from relaywiz.core.report.markdown import render_markdown
from relaywiz.core.report.nagios import render_nagios
from relaywiz.core.report.text import render_text

__all__ = [
    "SCHEMA_VERSION",
    "load_schema",
    "render_json",
    "render_markdown",
    "render_nagios",
    "render_text",
    "to_json_dict",
]
