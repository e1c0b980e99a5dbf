"""The `kartei` command: every Django management command, plus Kartei's own (serve, demo, token)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartei.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kartei", *sys.argv[1:]])


if __name__ == "__main__":
    main()
