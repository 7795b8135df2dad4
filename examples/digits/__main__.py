"""`python -m examples.digits`: train a digit classifier with gone (see cli.py for the flags)."""

import sys

from .cli import main

sys.exit(main())
