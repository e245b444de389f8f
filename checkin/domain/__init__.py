"""Domain logic and persistence. Never imports Qt."""
