"""``python -m greentrade``: the command line (`greentrade.cli`)."""

import sys

from greentrade.cli import main

sys.exit(main())
