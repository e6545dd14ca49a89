from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings_edit, name="settings"),
    path("rerank/", views.rerank, name="rerank"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:conflict_id>/resolve/", views.resolve, name="resolve"),
    path("full-text/", views.fulltexts, name="fulltexts"),
    path("full-text/attach/", views.fulltext_attach, name="fulltext_attach"),
    path("full-text/<int:item_id>/not-retrieved/", views.not_retrieved, name="not_retrieved"),
    path("full-text/records/<int:record_id>/pdf/", views.fulltext_pdf, name="fulltext_pdf"),
    path("<str:stage>/", views.screen, name="screen"),
    path("<str:stage>/decide/", views.decide, name="decide"),
    path("<str:stage>/undo/", views.undo, name="undo"),
    path("<str:stage>/mine/", views.mine, name="mine"),
    path("<str:stage>/decisions/", views.decisions, name="decisions"),
    path("<str:stage>/unblind/", views.unblind, name="unblind"),
]
