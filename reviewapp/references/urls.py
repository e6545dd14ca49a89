from django.urls import path

from reviewapp.references import views

app_name = "references"

urlpatterns = [
    path("", views.source_list, name="source_list"),
    path("upload/", views.upload, name="upload"),
    path("imports/<int:batch_id>/", views.batch_detail, name="batch_detail"),
    path("imports/<int:batch_id>/decide/", views.batch_decide, name="batch_decide"),
    path("imports/<int:batch_id>/mapping/", views.batch_mapping, name="batch_mapping"),
    path("records/", views.record_list, name="record_list"),
    path("records/<int:record_id>/", views.record_detail, name="record_detail"),
    path("records/<int:record_id>/unmerge/", views.record_unmerge, name="record_unmerge"),
    path("duplicates/", views.duplicate_queue, name="duplicate_queue"),
    path("duplicates/<int:pair_id>/decide/", views.duplicate_decide, name="duplicate_decide"),
    path("prisma/", views.prisma, name="prisma"),
    path("prisma.svg", views.prisma_download, name="prisma_svg"),
]
