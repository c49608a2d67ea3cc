"""``python -m aioclubhouse.cli``: the same as the ``aioclubhouse`` command."""

import sys

from . import main

sys.exit(main())
