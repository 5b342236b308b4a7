"""Pure text primitives: folding, transliteration keys, tokens, word lists, script ranges, positions."""
