from django.apps import AppConfig


class RiskOfBiasConfig(AppConfig):
    name = "riskofbias"
    verbose_name = "Risk of bias"
