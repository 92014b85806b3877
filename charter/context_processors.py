from charter.permissions import is_charter_staff


def navigation(request) -> dict:
    return {"is_charter_staff": is_charter_staff(request.user)}
