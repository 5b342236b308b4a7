"""Batch runs over folders and streams: inputs, decoding, the run folder, journal, logs, runners and exit codes."""
