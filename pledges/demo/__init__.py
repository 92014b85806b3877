"""Demo data for ``manage.py seed_demo``'s pledges steps; only the command imports it.

- ``workspaces``: progress, evidence, actions, history and shared practices
- ``teams``: who is in each organisation's team, and the demo invitations
- ``returns``: the five yearly reporting cycles and the organisations' data returns in them
- ``figures``: plausible diversity figures for those returns (pure, seeded)
- ``words``: the texts written into the workspaces and the data collection
"""
