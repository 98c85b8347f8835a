"""Read models for the web UI and the API: what a page shows, in a constant number of SQL
queries, computed through the core (bandwidth, topology) rather than beside it."""
