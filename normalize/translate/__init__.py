"""Re-translation of source-language originals with CTranslate2 + SentencePiece.

Models are supplied by the user (an Argos Translate package or a converted
OPUS-MT model) and never downloaded.  Names found in the source through the
gazetteer's Arabic forms come out as their canonical English names.
"""
