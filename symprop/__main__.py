"""``python -m symprop``: the ``symprop`` command (``symprop.cli``) without its installed script."""

import sys

from symprop.cli import main

if __name__ == "__main__":
    sys.exit(main())
