"""Business rules. No request, no session commit: services flush, the caller commits."""
