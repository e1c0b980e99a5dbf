from .queries import mentions_unread as unread_count


def mentions_unread(request) -> dict:
    """`mentions_unread` for the navigation: counted only when a page shows it (templates call callables)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"mentions_unread": lambda: unread_count(user)}
