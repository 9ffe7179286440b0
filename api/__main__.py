"""`python3 -m api`: see `api.cli`."""

from .cli import main

raise SystemExit(main())
