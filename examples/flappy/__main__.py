"""`python -m examples.flappy`: evolve Flappy Bird players with gone (see cli.py for the flags)."""

import sys

from .cli import main

sys.exit(main())
