"""netops lab."""
