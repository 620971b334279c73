"""Extraction: actors, PLOVER events and facts from analysed articles."""
