"""Demo data for ``manage.py seed_demo``'s workspace step; only the command imports it.

- ``workspaces``: progress, evidence, actions, history and shared practices
- ``teams``: who is in each organisation's team, and the demo invitations
- ``words``: the texts written into the workspaces
"""
