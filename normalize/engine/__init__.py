"""The matching engine: the index, the reference matcher (the
specification), the scanner, context, decisions and rewriting."""
