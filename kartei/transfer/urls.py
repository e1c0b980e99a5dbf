from django.urls import path

from . import views

app_name = "transfer"
urlpatterns = [
    path("export/", views.customers_export, name="export"),
    path("import/", views.imports, name="imports"),
    path("import/run/", views.import_run, name="run"),
    path("import/sample.<str:kind>", views.import_sample, name="sample"),
    path("import/<str:token>/check/", views.import_checked, name="check"),
    path("import/<str:token>/rejected.csv", views.import_rejected, name="rejected"),
    path("import/<int:pk>/", views.import_progress, name="progress"),
    path("import/<int:pk>/undo/", views.import_undo, name="undo"),
]
