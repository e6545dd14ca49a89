from django.urls import path

from analysis import views

app_name = "analysis"

urlpatterns = [
    path("", views.index, name="index"),
    path("propose/", views.propose, name="propose"),
    path("run/", views.run, name="run"),
    path("comparisons/", views.comparisons, name="comparisons"),
    path("comparisons/<int:comparison_id>/", views.comparisons, name="comparison_edit"),
    path("<int:analysis_id>/", views.detail, name="detail"),
    path(
        "<int:analysis_id>/<str:kind>-<str:model>.<str:fmt>",
        views.plot_download,
        name="plot_download",
    ),
    path("<int:analysis_id>/script.R", views.rscript, name="rscript"),
    path("sof/<int:comparison_id>/", views.sof, name="sof"),
    path("sof/<int:comparison_id>/download.<str:fmt>", views.sof_download, name="sof_download"),
    path("sof/download.<str:fmt>", views.sof_download, name="sof_review_download"),
]
