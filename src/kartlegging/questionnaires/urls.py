from django.urls import path

from kartlegging.questionnaires import editor

app_name = "questionnaires"

urlpatterns = [
    path("", editor.library, name="library"),
    path("last-opp/", editor.upload, name="upload"),
    path("sammenlign/", editor.compare_view, name="compare"),
    path("versjon/<int:pk>/", editor.version_view, name="version"),
    path("versjon/<int:pk>/kopi/", editor.copy_version, name="copy"),
    path("<str:kind>/<int:pk>/fil.<str:fmt>", editor.download, name="download"),
    path("utkast/<int:pk>/", editor.draft_view, name="draft"),
    path("utkast/<int:pk>/om/", editor.draft_head, name="head"),
    path("utkast/<int:pk>/flytt/", editor.move, name="move"),
    path("utkast/<int:pk>/seksjon/ny/", editor.section_edit, name="section_add"),
    path("utkast/<int:pk>/seksjon/<str:key>/", editor.section_edit, name="section"),
    path("utkast/<int:pk>/seksjon/<str:key>/slett/", editor.section_remove, name="section_remove"),
    path(
        "utkast/<int:pk>/seksjon/<str:section>/nytt-sporsmal/",
        editor.question_edit,
        name="question_add",
    ),
    path("utkast/<int:pk>/sporsmal/<str:key>/", editor.question_edit, name="question"),
    path(
        "utkast/<int:pk>/sporsmal/<str:key>/slett/", editor.question_remove, name="question_remove"
    ),
    path("utkast/<int:pk>/forhandsvisning/", editor.preview_frames, name="preview_frames"),
    path("utkast/<int:pk>/forhandsvisning/side/", editor.preview, name="preview"),
    path("utkast/<int:pk>/ta-i-bruk/", editor.take_into_use, name="take_into_use"),
    path("utkast/<int:pk>/slett/", editor.draft_delete, name="draft_delete"),
]
