"""The report's page: fixed HTML, CSS and script (``assets/``), with the run's data as JSON.

Safety rests on three things.  The data goes into a
``<script type="application/json">`` block as ASCII JSON with ``<``, ``>``
and ``&`` escaped, so no article text can close the block.  The script builds the page with ``textContent`` and
``createElement`` only, never ``innerHTML``.  And a Content-Security-Policy
allows no script but this page's own (by its hash), no network and no
plugins, so even a mistake in the first two could not run anything::

    >>> "</script>" in _embed({"text": "</script><script>alert(1)</script>"})
    False
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import lru_cache
from importlib import resources

_ASSETS = "review/assets"


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    """The page's HTML template, style and script (``assets/``), read once."""
    folder = resources.files("normalize").joinpath(_ASSETS)
    return tuple(folder.joinpath(f"report.{kind}").read_text("utf-8") for kind in ("html", "css", "js"))


def render_page(data: dict) -> str:
    """The whole page for `data` (see report.build_report_data)."""
    template, style, script = _assets()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    fills = {
        "policy": policy,
        "title": html.escape(f"normalize report: {data['run']['output']}"),
        "style": style,
        "data": _embed(data),
        "script": script,
    }
    # one pass: nothing filled in is searched for placeholders again
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fills[m.group(1)], template)


def _embed(data: dict) -> str:
    """JSON that cannot end the script element it sits in."""
    # ASCII only: also escapes the JavaScript line separators and any lone
    # surrogate of an undecodable file name, which UTF-8 could not carry
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
