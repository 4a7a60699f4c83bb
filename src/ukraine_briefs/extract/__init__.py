"""Parsed spaCy Docs -> rows: entities and the gazetteer, quotes, dates, sentiment, threats."""
