"""Catalog sections, one module per feature; each defines ``MESSAGES``."""
