from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.views.decorators.cache import cache_control
from django.views.static import serve


@cache_control(private=True, max_age=3600)
def media(request, path):
    """Uploaded files (customer pictures), for staff who are logged in only."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


@login_not_required
@cache_control(public=True, max_age=86400)
def product_image(request, path):
    """Product images, for customers on their quick-order pages too (no login): each has a random name."""
    return serve(request, path, document_root=settings.MEDIA_ROOT / "products")
