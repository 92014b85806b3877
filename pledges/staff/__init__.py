"""Charter staff at ``/staff/practices/``: reviewing shared practices and making them public."""
