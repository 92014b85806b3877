"""The public views, one module per feature:

- ``directory``: the directory page and its CSV export (``/signatories/``)
- ``profiles``: a signatory's profile (``/signatories/<slug>/``)
- ``api``: the directory as JSON, its OpenAPI description and the page about both (``/api/``)
- ``signing``: applying to sign, the application's status, withdrawing, asking to join (``/sign/``)
"""
