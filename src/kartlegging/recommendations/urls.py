from django.urls import path

from kartlegging.recommendations import codebook, views

app_name = "recommendations"
urlpatterns = [
    path("<slug:slug>/kodebok/", codebook.codebook, name="codebook"),
    path("<slug:slug>/anbefalinger/", views.overview, name="overview"),
    path("<slug:slug>/anbefalinger/terskler/", views.set_thresholds, name="thresholds"),
    path("<slug:slug>/anbefalinger/region/", views.region, name="region"),
    path("<slug:slug>/anbefalinger/kunnskapsgrunnlag/", views.knowledge, name="knowledge"),
    path("<slug:slug>/anbefalinger/regelversjon/", views.rules_version, name="rules_version"),
    path("<slug:slug>/anbefalinger/eksport/<str:fmt>/", views.download, name="download"),
    path("<slug:slug>/anbefalinger/<str:number>/", views.scorecard, name="scorecard"),
    path("<slug:slug>/anbefalinger/<str:number>/<str:rule_id>/", views.decide, name="decide"),
]
