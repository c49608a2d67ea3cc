"""Double of ``agora`` (agora-python-server-sdk): like the real package, it switches the
process-wide HTTPS default to an unverified context when imported."""

import ssl

ssl._create_default_https_context = ssl._create_unverified_context
