"""Entity co-occurrence per window. PLACEHOLDER until the entities issue lands."""
from __future__ import annotations

import pandas as pd

from ukraine_briefs.types import to_frame


def cooccurrence_frame(mentions: pd.DataFrame) -> pd.DataFrame:
    """Entity pairs per sentence / paragraph / document window, with count, n_docs and NPMI."""
    return to_frame("cooccurrence", [])
