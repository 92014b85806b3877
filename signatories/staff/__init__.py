"""Charter staff at ``/staff/``: the application review queue and the organisations list."""
