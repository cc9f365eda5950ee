import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED_DATA = REPO.parent / "shared" / "data"
CONTEXT_CSV = DATA / "mali_2023_context.csv"
UCDP_SAMPLE = DATA / "ucdp_ged251_mali_jnim_2023H2.csv"


@pytest.fixture
def shared_data() -> Path:
    """The real datasets in ../shared/data; tests using them skip where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA
