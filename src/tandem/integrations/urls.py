from django.urls import path

from tandem.integrations.views import tokens, webhooks

app_name = "integrations"

urlpatterns = [
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke_view, name="token_revoke"),
    path("my-tokens/", tokens.my_tokens, name="my_tokens"),
    path("my-tokens/<int:token_id>/revoke/", tokens.my_token_revoke, name="my_token_revoke"),
    path("webhooks/", webhooks.webhook_list, name="webhooks"),
    path("webhooks/<int:webhook_id>/", webhooks.webhook_detail, name="webhook"),
    path(
        "webhooks/<int:webhook_id>/disable/", webhooks.webhook_disable_view, name="webhook_disable"
    ),
    path(
        "webhooks/<int:webhook_id>/deliveries/<uuid:delivery_id>/send-again/",
        webhooks.webhook_send_again_view,
        name="webhook_send_again",
    ),
]
