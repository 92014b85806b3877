"""Writes and side effects for the pledges app, one module per sub-domain:

- ``commitments``: pledge commitments, their actions, shared practices (pledges 2–4)
- ``returns``: an organisation's data return, its draft, submissions and revisions (pledge 5)
- ``raw_access``: who may see raw diversity figures, and the log of every staff look
"""
