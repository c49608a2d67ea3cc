"""``python -m aioclubhouse``: the ``aioclubhouse`` command line."""

import sys

from .cli import main

sys.exit(main())
