"""Reference and demo data: plain Python structures, no database access."""
