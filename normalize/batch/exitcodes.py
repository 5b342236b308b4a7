"""Process exit codes of the ``normalize`` command; the README documents them.

>>> int(ExitCode.BAD_INPUT)
3
"""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # done; in --check mode: nothing would change
    CHANGES_FOUND = 1  # --check: some file would change
    USAGE = 2  # bad command line (also typer's own code)
    BAD_INPUT = 3  # some input file could not be processed (or written); the others were
    GAZETTEER = 4  # a gazetteer file is broken; nothing was processed
    RUN_FAILED = 5  # the run itself could not go on (its logs or state cannot be written, or a bug)
    BUSY = 6  # another run is using the same output folder; nothing was done
    INTERRUPTED = 130  # Ctrl-C: what was finished is written; run again to resume
    TERMINATED = 143  # SIGTERM: as Ctrl-C
