"""Unicode ranges of the Arabic script, shared by the modules that look for it.

>>> import re
>>> bool(re.fullmatch(f"[{ARABIC_LETTERS}]+", "سرت")), bool(re.search(f"[{HARAKAT}]", "سِرت"))
(True, True)
"""

# The Arabic blocks: basic, supplement, extended-A, presentation forms A and B.
ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
# Vowel marks (harakat), dagger alef and Quranic marks: they change how a word
# looks, not which word it is.
HARAKAT = "\u064b-\u065f\u0670\u06d6-\u06ed"
