"""rtes-bot: the Discord bot of the Réseau des Territoires pour l'Economie Solidaire (RTES)."""

__version__ = "0.1.0"
