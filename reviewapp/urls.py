from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reviewapp import views

review_patterns = (
    [
        path("", views.review_list, name="review_list"),
        path("reviews/<slug:slug>/", views.review_dashboard, name="review_dashboard"),
        path(
            "reviews/<slug:slug>/vocabulary/<slug:kind>/",
            views.vocabulary_edit,
            name="vocabulary_edit",
        ),
        path("reviews/<slug:slug>/audit/", views.audit_log, name="audit_log"),
        path("reviews/<slug:slug>/jobs/<int:job_id>/", views.job_status, name="job_status"),
    ],
    "reviewapp",
)

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include(review_patterns)),
    path("reviews/<slug:slug>/references/", include("reviewapp.references.urls")),
    path("reviews/<slug:slug>/screening/", include("screening.urls")),
    path("reviews/<slug:slug>/extraction/", include("extraction.urls")),
    path("reviews/<slug:slug>/risk-of-bias/", include("riskofbias.urls")),
    path("reviews/<slug:slug>/analysis/", include("analysis.urls")),
]
