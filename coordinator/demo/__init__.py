"""Demo and synthetic data, reached only through the `demo-data` command (and the tests)."""
