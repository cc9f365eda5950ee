"""conform() turns empty and whitespace-only text into unknown (its fast blank check)."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.model.schema import _blank_cells, conform

CHARS = [" ", "\t", "a", "\u00a0", "\u2000", "\u3000", "\u1680", "\u0085", "é", "\u200b", "\x1c"]


def test_blank_notes_and_titles_become_unknown():
    notes = ["", "  ", "\u00a0\u3000", "real note", " padded ", None]
    frame = pd.DataFrame(
        {"start": pd.to_datetime(["2023-01-01"] * 6), "notes": notes, "title": notes}
    )
    events = conform(frame)
    assert events["notes"].isna().tolist() == [True, True, True, False, False, True]
    assert events["notes"][4] == " padded "


def test_the_blank_check_agrees_with_arrow_on_any_whitespace():
    rng = random.Random(7)
    values = ["".join(rng.choice(CHARS) for _ in range(rng.randint(0, 3))) for _ in range(5000)]
    values[10] = None
    array = pa.chunked_array([pa.array(values[:3000]), pa.array(values)[3000:]])  # sliced
    expected = pc.or_(pc.equal(pc.utf8_length(array), 0), pc.utf8_is_space(array))
    assert (np.asarray(pc.fill_null(expected, False)) == _blank_cells(array)).all()
    large = pa.chunked_array([pa.array(values, pa.large_string())])
    assert (_blank_cells(large) == _blank_cells(array)).all()
