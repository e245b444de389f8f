"""Start the checkin desktop app: ``python main.py``."""

from checkin.app import main

if __name__ == "__main__":
    raise SystemExit(main())
