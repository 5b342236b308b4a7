"""``python -m normalize`` is the ``normalize`` command."""

from .cli.app import app

app(prog_name="normalize")
