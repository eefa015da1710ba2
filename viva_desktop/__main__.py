import sys

from viva_desktop.app import main

sys.exit(main())
