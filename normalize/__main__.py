"""``python -m normalize`` is the ``normalize`` command."""

from .cli import app

app(prog_name="normalize")
