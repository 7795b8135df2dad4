"""`python -m examples.gym`: evolve gone networks on a Gymnasium environment (see cli.py)."""

import sys

from .cli import main

sys.exit(main())
