from __future__ import annotations

from django.db import transaction

from signatories.models import SignatoryNumberSequence


def signatory_number_next() -> int:
    """Take the next signatory number. Must run inside the caller's transaction.

    The sequence row is locked (SELECT ... FOR UPDATE) until the caller's transaction ends, so
    concurrent approvals queue one behind the other: no duplicates. The increment is part of the
    caller's transaction, so an approval that rolls back gives its number back: no gaps. (A
    database sequence would be faster but leaves gaps on rollback.)
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("signatory_number_next() must be called inside transaction.atomic()")
    sequence = SignatoryNumberSequence.objects.select_for_update().get(pk=1)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number
