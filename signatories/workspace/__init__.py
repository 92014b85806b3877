"""A signatory's team at ``/dashboard/``: the organisation's overview, profile, team and
representative. The pledges app adds its pages under ``/dashboard/<slug>/``."""
