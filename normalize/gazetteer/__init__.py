"""Gazetteer files: the model of entities and spellings, and loading them with precise errors."""
