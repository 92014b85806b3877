"""The signatory workspace at /dashboard/: overview, profile, team, representative, withdrawal.

Every view loads the organisation through ``workspace_for`` (404 for another organisation, 403
for a missing role) and every object through ``object_in_workspace``.

One module per sub-domain:

- ``organisation``: the dashboard index, overview, profile, data contact and withdrawal
- ``members``: the team, invitations and join requests
- ``representatives``: naming and confirming the representative
- ``base``: what they share
"""
