from django.urls import path

from riskofbias import views

app_name = "riskofbias"

urlpatterns = [
    path("", views.rob_index, name="index"),
    path("settings/", views.rob_settings, name="settings"),
    path("studies/<int:study_id>/assess/", views.rob_assess, name="assess"),
    path("studies/<int:study_id>/reopen/", views.rob_reopen, name="reopen"),
    path("studies/<int:study_id>/consensus/", views.rob_consensus, name="consensus"),
    path("studies/<int:study_id>/consensus/resolve/", views.rob_resolve, name="resolve"),
    path("studies/<int:study_id>/assessors/", views.rob_assessors, name="assessors"),
    path(
        "studies/<int:study_id>/contact-investigators/",
        views.rob_contact,
        name="contact_investigators",
    ),
    path("table/", views.rob_table, name="table"),
    path("table.csv", views.rob_table_csv, name="table_csv"),
    path("table.docx", views.rob_table_docx, name="table_docx"),
    path("plots/", views.rob_plots, name="plots"),
    path("plots/<slug:kind>.<slug:fmt>", views.rob_plot_download, name="plot_download"),
]
