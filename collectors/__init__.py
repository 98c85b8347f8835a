"""netops collectors."""
