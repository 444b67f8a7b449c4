"""Each photo check's finding in plain words, with what to do about it: what the client
reads when a photo does not pass, and what the officer reads beside the measures."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Each photo check's reason in plain words, and what to do about it.
PHOTO_REASONS: dict[str, Promise] = {
    "not_an_image": _(
        "The file is not a JPEG or PNG photo. Save the photo as JPEG or PNG and upload it again."
    ),
    "file_too_large": _("The file is too large. Save the photo at a lower quality or size."),
    "file_too_small": _(
        "The file is too small to be a good photo. Use the original photo, not a thumbnail."
    ),
    "too_few_pixels": _("The photo is too small. Use a photo of at least 420 by 540 pixels."),
    "too_many_pixels": _(
        "The photo is too large in pixels. Resize it to at most 4000 by 5600 pixels."
    ),
    "wrong_shape": _(
        "The photo is not the right shape. Crop it to a portrait shape, 5 wide by 7 high."
    ),
    "no_face": _(
        "We could not find a face. Look straight at the camera, with your whole face visible."
    ),
    "several_faces": _("We found more than one face. Only you may be in the photo."),
    "head_too_small": _(
        "Your head is too small in the photo. Move closer or crop closer: from chin to "
        "crown, your head should fill about half the height."
    ),
    "head_too_large": _(
        "Your head is too large in the photo. Move back or crop wider: leave space above "
        "your head and show the top of your shoulders."
    ),
    "off_centre": _("Your face is not in the middle. Centre your face from left to right."),
    "background_not_plain": _(
        "The background is not plain and light. Stand in front of a plain white or "
        "light-coloured wall."
    ),
    "blurry": _(
        "The photo is blurred. Hold the camera still, focus on the face and use good light."
    ),
    "too_dark": _(
        "The photo is too dark. Take it in even, bright light, without shadows on your face."
    ),
    "too_bright": _("The photo is too bright. Avoid direct flash and strong light on your face."),
}
