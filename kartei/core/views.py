from django.conf import settings
from django.views.decorators.cache import cache_control
from django.views.static import serve


@cache_control(private=True, max_age=3600)
def media(request, path):
    """Uploaded files (customer pictures), for staff who are logged in only."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
