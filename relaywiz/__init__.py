"""relaywiz: finds out why someone cannot send mail, and says exactly what to change."""

__version__ = "0.1.0"
