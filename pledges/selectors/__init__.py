"""Non-trivial reads for the pledges app, one module per sub-domain."""
