"""A signatory's team, under ``/dashboard/<slug>/``: its pledges, actions and shared practices,
and the library of other signatories' practices."""
