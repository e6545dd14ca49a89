from django.urls import path

from extraction.views import consensus, extract, form_builder, studies

app_name = "extraction"

S = "studies/<int:study_id>/"

urlpatterns = [
    path("", studies.study_list, name="study_list"),
    path("studies/group/", studies.study_group, name="study_group"),
    path(S + "extractors/", studies.study_extractors, name="study_extractors"),
    path(S + "contacts/", studies.author_contact_list, name="author_contacts"),
    path(S, extract.extraction_edit, name="extract"),
    path(S + "autosave/", extract.extraction_autosave, name="autosave"),
    path(S + "arms/", extract.arm_add, name="arm_add"),
    path(S + "arms/<int:arm_id>/delete/", extract.arm_remove, name="arm_delete"),
    path(S + "comparisons/", extract.comparison_add, name="comparison_add"),
    path(
        S + "comparisons/<int:comparison_id>/delete/",
        extract.comparison_remove,
        name="comparison_delete",
    ),
    path(S + "results/", extract.result_add, name="result_add"),
    path(S + "results/<int:result_id>/", extract.result_edit, name="result_edit"),
    path(S + "results/<int:result_id>/delete/", extract.result_remove, name="result_delete"),
    path(S + "submit/", extract.extraction_submit, name="submit"),
    path(S + "compare/", consensus.comparison_view, name="compare"),
    path(S + "compare/resolve/", consensus.consensus_resolve, name="resolve"),
    path("form/", form_builder.form_builder, name="form_builder"),
    path("form/sections/", form_builder.section_add, name="section_add"),
    path("form/fields/", form_builder.field_add, name="field_add"),
    path("form/fields/<int:field_id>/", form_builder.field_edit, name="field_edit"),
    path("form/fields/<int:field_id>/delete/", form_builder.field_delete, name="field_delete"),
    path("form/install-protocol/", form_builder.form_install, name="form_install"),
    path("settings/resolver/", form_builder.resolver_setting, name="resolver_setting"),
    path(
        "export/<str:what>.<str:fmt>",
        studies.export_consensus,
        name="export",
    ),
]
