"""Widgets of the wizard that more than one screen could use."""
