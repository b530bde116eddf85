"""`python -m rtes_bot` is `rtes-bot`."""

from rtes_bot.cli import main

if __name__ == "__main__":
    main()
