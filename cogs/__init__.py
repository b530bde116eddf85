"""Discord adapters, one extension per feature; every module here is loaded at start.

Modules whose name starts with an underscore are shared helpers, not extensions.
"""
