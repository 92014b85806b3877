"""Charter staff's views, one module per feature:

- ``applications``: the staff home, the review queue and deciding an application
- ``organisations``: every organisation with its status and representative's state
"""
