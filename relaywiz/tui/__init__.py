"""The Textual wizard face."""
