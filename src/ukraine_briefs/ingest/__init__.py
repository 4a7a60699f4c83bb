"""Files -> `Document` records: formats, metadata, cleaning, publication dates."""
