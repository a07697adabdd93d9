"""`python -m lib.cli`: run one command and exit with its code."""

import sys

from lib.cli import main

sys.exit(main())
