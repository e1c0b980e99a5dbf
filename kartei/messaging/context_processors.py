from .queries import replies_unread as unread_count


def replies_unread(request) -> dict:
    """`replies_unread` for the navigation: counted only when a page shows it (templates call callables)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"replies_unread": unread_count}
