"""netops webui."""
