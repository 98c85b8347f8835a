"""netops topology."""
