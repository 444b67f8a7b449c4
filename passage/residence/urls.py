from django.urls import path

from passage.residence import card_views, review_views, verify_views, views

app_name = "residence"

urlpatterns = [
    path("residence/", views.home, name="home"),
    path(
        "residence/invitation/<uuid:invitation_id>/<str:token>/",
        views.invitation,
        name="invitation",
    ),
    path("residence/<uuid:confirmation_id>/", views.person, name="person"),
    path("residence/<uuid:confirmation_id>/declaration/", views.declaration, name="declaration"),
    path("residence/<uuid:confirmation_id>/address/", views.address, name="address"),
    path("residence/<uuid:confirmation_id>/photo/", views.photo, name="photo"),
    path("residence/<uuid:confirmation_id>/send/", views.submit, name="submit"),
    path("residence/<uuid:confirmation_id>/ecopr/", views.ecopr, name="ecopr"),
    path("residence/review/", review_views.queue, name="review_queue"),
    path("residence/review/<uuid:confirmation_id>/", review_views.detail, name="review"),
    path("residence/review/<uuid:confirmation_id>/confirm/", review_views.confirm, name="confirm"),
    path("residence/review/<uuid:confirmation_id>/return/", review_views.send_back, name="return"),
    path("residence/review/<uuid:confirmation_id>/revoke/", review_views.revoke, name="revoke"),
    path(
        "residence/review/<uuid:confirmation_id>/photos/<int:photo_id>/",
        review_views.photo_file,
        name="review_photo",
    ),
    path("residence/cards/", card_views.batches, name="cards"),
    path("residence/cards/make/", card_views.make, name="cards_make"),
    path("residence/cards/<str:batch>/sent/", card_views.sent, name="cards_sent"),
    path("residence/cards/<str:batch>/file/", card_views.download, name="cards_file"),
    path("verify/", verify_views.verify, name="verify"),
    path("verify/revoked.json", verify_views.revocation_list, name="revocation_list"),
]
