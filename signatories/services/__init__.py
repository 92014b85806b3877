"""Writes and side effects for the signatories app, one module per sub-domain:

- ``applications``: drafting, submitting and deciding applications to sign the charter
- ``numbering``: signatory numbers without gaps or duplicates
- ``join_requests``: asking to join an organisation that already signed
"""


class ServiceError(Exception):
    """A business rule refused the action. The message is written for the person who tried."""
