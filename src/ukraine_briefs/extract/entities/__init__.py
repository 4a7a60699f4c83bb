"""Entity mentions resolved to canonical actors, and the `entities` table.

- `names`: titles, transliteration skeletons, fuzzy surname matching, `resolve_name`
  for free name strings (speaker labels, attributions);
- `mentions`: `doc_mentions`, the mentions of one parsed Doc with their ``entity_id``;
- `corpus`: `MentionStats`, `corpus_id_map` and `entities_frame`, the corpus-wide merge.

Guards keep distinct people apart: a fuzzy match needs the transliteration
skeletons of the surnames to agree (or near-identical spelling), compatible first
names, and a clear winner. Names in any script compare and get ids through a
transliteration (see `gazetteer.fold`, `names.matching_key` and docs/entities.md).
"""
from ukraine_briefs.extract.entities.corpus import MentionStats, corpus_id_map, entities_frame
from ukraine_briefs.extract.entities.mentions import doc_mentions
from ukraine_briefs.extract.entities.names import matching_key, resolve_name, skeleton, strip_titles

__all__ = [
    "MentionStats",
    "corpus_id_map",
    "doc_mentions",
    "entities_frame",
    "matching_key",
    "resolve_name",
    "skeleton",
    "strip_titles",
]
