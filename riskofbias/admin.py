from django.contrib import admin

from riskofbias.models import OutcomeGroup, RobDomain, RobTool


class RobDomainInline(admin.TabularInline):
    model = RobDomain
    extra = 0


@admin.register(RobTool)
class RobToolAdmin(admin.ModelAdmin):
    list_display = ["name", "review"]
    inlines = [RobDomainInline]


@admin.register(OutcomeGroup)
class OutcomeGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "review", "position"]
