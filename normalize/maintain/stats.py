"""What a gazetteer holds, in numbers.

>>> from normalize import load_gazetteers
>>> gazetteer_stats(load_gazetteers())["entities"] > 0
True
"""

from __future__ import annotations

from collections import Counter

from ..engine.index import Index
from ..gazetteer import Gazetteer


def gazetteer_stats(gaz: Gazetteer) -> dict:
    """Counts by type, region and file, and how well ids and Arabic forms cover the entities."""
    entities = gaz.entities
    index = Index.build(gaz)
    shared_keys = sum(1 for named in index.keys.values() if len({t.canonical for t, _ in named}) > 1)
    return {
        "entities": len(entities),
        "by_type": dict(Counter(e.type for e in entities).most_common()),
        "by_region": dict(Counter(e.region for e in entities).most_common()),
        "by_file": dict(Counter(e.file for e in entities).most_common()),
        "short_forms": sum(len(e.forms) - 1 for e in entities),
        "variants": sum(len(f.variants) for e in entities for f in e.forms),
        "ambiguous_forms": sum(f.ambiguous or e.forms[0].ambiguous for e in entities for f in e.forms),
        "keep_words": len(gaz.keep) + sum(len(e.keep) for e in entities),
        "with_arabic": sum(bool(e.arabic) for e in entities),
        "with_wikidata": sum(e.wikidata is not None for e in entities),
        "with_geonames": sum(e.geonames is not None for e in entities),
        "with_any_id": sum(e.wikidata is not None or e.geonames is not None for e in entities),
        "shared_keys": shared_keys,
    }
