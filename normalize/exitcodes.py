"""Process exit codes of the ``normalize`` command; the README documents them.

>>> int(ExitCode.BAD_INPUT)
3
"""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # done; in --check mode: nothing would change
    CHANGES_FOUND = 1  # --check: some file would change
    USAGE = 2  # bad command line (also typer's own code)
    BAD_INPUT = 3  # some input file could not be processed; the others were
    GAZETTEER = 4  # a gazetteer file is broken; nothing was processed
    INTERRUPTED = 130  # Ctrl-C: what was finished is written; run again to resume
