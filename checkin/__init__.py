"""checkin: the entrance desk of a conference."""

__version__ = "0.1.0"
