"""Storage: the one DuckDB file, its migrations, and the snapshots a read-only view reads."""
