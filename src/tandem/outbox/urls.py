from django.urls import path

from tandem.outbox import views

app_name = "outbox"

urlpatterns = [
    path("", views.undelivered_list, name="undelivered"),
    path("send-again/", views.send_again, name="send_again"),
]
