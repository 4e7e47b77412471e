from django.urls import path

from tandem.integrations.views import tokens

app_name = "integrations"

urlpatterns = [
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke_view, name="token_revoke"),
]
