"""Case- and accent-insensitive names ("segou" is "Ségou"): :func:`fold` gives the key
names and queries are compared by. (Free text is searched without folding it, by
:func:`timeline_app.model.filters.accent_pattern`.)"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Lower case without diacritics: the key names and queries are compared by."""
    text = str(text)
    if text.isascii():  # nothing to decompose (most names): ~20x faster, same result
        return text.casefold().strip()
    return _fold_unicode(text)


@lru_cache(maxsize=1 << 16)
def _fold_unicode(text: str) -> str:
    # Cached: the same actor names are folded again for each column and each table.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()
