"""The command-line face: argument parsing, stdout for data, stderr for progress and errors."""
