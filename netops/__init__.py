"""netops: network operations for the intranets of Indonesian local governments."""

__version__ = "0.1.0"
