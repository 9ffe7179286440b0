"""`python3 -m api`: see `api.cli`."""

import sys

try:
    from .cli import main

    code = main()
except KeyboardInterrupt:  # Ctrl-C before the command started (imports, argument parsing)
    sys.stderr.write("interrupted.\n")
    code = 130
raise SystemExit(code)
