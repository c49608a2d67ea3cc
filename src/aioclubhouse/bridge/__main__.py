"""``python -m aioclubhouse.bridge``: print the event format's JSON Schema.

python -m aioclubhouse.bridge > docs/event-schema.json
"""

import sys

from .schema import schema_text

sys.stdout.write(schema_text())
