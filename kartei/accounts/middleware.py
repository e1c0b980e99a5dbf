from django.utils import translation

from .queries import language_of


class StaffLanguageMiddleware:
    """A logged-in member who chose a UI language gets it, on every device; otherwise LocaleMiddleware's
    choice (the language cookie, else the browser's Accept-Language) stands. The API keeps following
    Accept-Language: a script's request says which language it wants."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path_info.startswith("/api/"):
            language = language_of(request.user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
