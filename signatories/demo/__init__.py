"""Demo data for ``manage.py seed_demo``; only the command (and other apps' demo packages)
import it, never the site itself.

- ``organisations``: the pure, seeded generator of organisations, representatives and logins
- ``words``: the weights, word lists and phrases it draws from
- ``applications``: the steps for the review queue and the pledge commitments
- ``seeding``: what the command's steps share
- ``constants``: the demo password (a leaf, importing nothing of the project)
"""
