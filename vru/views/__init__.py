"""The core's pages, one module a subject (home, places, strategy, areas, imports, account)."""
