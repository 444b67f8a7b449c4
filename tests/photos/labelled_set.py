"""The labelled photos the checks are measured on, made here (seeded, in memory) rather
than stored: each is the bytes of an upload, the label it deserves ("good" or the one
failure code it was made to show) and a few words on how it was made.

The face is NASA's portrait of the astronaut Eileen Collins (`skimage.data.astronaut()`,
public domain: "no known copyright restrictions, released into the public domain"), cut
out of its background once with GrabCut and laid on backgrounds, framed, lit and saved
in the ways below. The pictures without a face are scikit-image's coffee cup (CC0,
Rachel Michetti) and its Falcon 9 launch (SpaceX, public domain). No other portrait with
a free licence ships with the installed packages, so every face is this one: mirrored,
moved, scaled, turned slightly, lit and coloured differently.
"""

import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from PIL import Image
from skimage import data as samples

SEED = 20261208
# The same recipes with other random draws (crops, light, blur, backgrounds): limits were
# calibrated on SEED's set, never on these.
HELD_OUT_SEEDS = (1, 2, 3)
# Loose aliases: OpenCV's stubs type every array it returns as any array.
Rgb = np.ndarray  # 8-bit RGB, rows x columns x 3
Floats = np.ndarray  # 32-bit floats

# Where the portrait's head is, in the 512 x 512 original: the natural top of the head
# (under the hair's volume), the chin, and the middle between the eyes.
CROWN, CHIN, MIDDLE = 20, 177, 225
WHITE = (250, 250, 250)


@dataclass(frozen=True)
class Labelled:
    """One upload of the set."""

    description: str
    label: str
    data: bytes


@dataclass(frozen=True)
class Framing:
    """How the portrait is laid out on the photo: sizes in pixels; the head's height,
    the middle of the face and the crown as shares of the photo."""

    width: int = 600
    height: int = 840
    head: float = 0.47
    centre: float = 0.5
    crown: float = 0.11
    background: tuple[int, int, int] = WHITE
    mirrored: bool = False
    turn: float = 0.0  # degrees, anticlockwise
    gain: float = 1.0  # the person's brightness
    noise: float = 1.5  # grey levels of sensor noise over everything

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    def placement(self) -> np.ndarray:
        """The affine map from the original portrait to the photo: mirrored about the
        face's middle, scaled, turned about the face and moved into place."""
        scale = self.head * self.height / (CHIN - CROWN)
        x, y = self.centre * self.width, self.crown * self.height
        sign = -1 if self.mirrored else 1
        matrix = np.array(
            [[sign * scale, 0, x - sign * MIDDLE * scale], [0, scale, y - CROWN * scale]]
        )
        if not self.turn:
            return matrix
        pivot = (x, y + self.head * self.height / 2)
        return cv2.getRotationMatrix2D(pivot, self.turn, 1.0) @ np.vstack([matrix, [0, 0, 1]])


@cache
def cutout() -> tuple[Floats, Floats]:
    """The portrait as floats and its person's opacity (0 to 1), from GrabCut started
    with the head and the suit as probably the person, the helmet and the edges as
    background."""
    portrait = samples.astronaut()
    mask = np.full(portrait.shape[:2], cv2.GC_PR_BGD, np.uint8)
    cv2.ellipse(mask, (226, 100), (80, 95), 0, 0, 360, cv2.GC_PR_FGD, -1)
    suit = np.array([[120, 170], [330, 170], [370, 512], [20, 512]], np.int32)
    cv2.fillPoly(mask, [suit], cv2.GC_PR_FGD)
    cv2.ellipse(mask, (226, 115), (55, 70), 0, 0, 360, cv2.GC_FGD, -1)
    collar = np.zeros_like(mask)
    cv2.ellipse(collar, (210, 225), (95, 72), 0, 0, 360, 1, -1)
    collar[:168] = 0  # the dark inside of the suit's neck ring is the person, not the wall
    mask[collar == 1] = cv2.GC_FGD
    mask[:, :8] = mask[:5, :] = mask[:, -8:] = cv2.GC_BGD
    cv2.circle(mask, (400, 430), 90, cv2.GC_BGD, -1)  # the helmet
    cv2.setRNGSeed(SEED)  # GrabCut's k-means starts from OpenCV's generator
    bgr = cv2.cvtColor(portrait, cv2.COLOR_RGB2BGR)
    unused = (0, 0, 0, 0)  # the rectangle GrabCut starts from when not given a mask
    background_model, person_model = np.zeros((1, 65)), np.zeros((1, 65))
    cv2.grabCut(bgr, mask, unused, background_model, person_model, 5, cv2.GC_INIT_WITH_MASK)
    person = ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.float32)
    return portrait.astype(np.float32), cv2.GaussianBlur(person, (0, 0), 1.0)


def backdrop(framing: Framing) -> Floats:
    """A plain background of the framing's colour, a little darker towards the bottom,
    as a lit wall is."""
    colour = np.array(framing.background, np.float32)
    fall = np.linspace(1.0, 0.94, framing.height, dtype=np.float32)[:, None, None]
    return np.broadcast_to(colour * fall, (framing.height, framing.width, 3)).copy()


def opacity(framing: Framing) -> Floats:
    """The person's opacity as framed, 0 to 1."""
    _, person = cutout()
    return cv2.warpAffine(person, framing.placement(), framing.size, flags=cv2.INTER_LINEAR)


def portrait_on(framing: Framing, rng: np.random.Generator, behind: Floats | None = None) -> Rgb:
    """The portrait framed as asked, on `behind` (by default a plain backdrop)."""
    picture, _ = cutout()
    person = cv2.warpAffine(
        picture * framing.gain,
        framing.placement(),
        framing.size,
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_REPLICATE,
    )
    seen = opacity(framing)[..., None]
    mixed = seen * person + (1 - seen) * (backdrop(framing) if behind is None else behind)
    mixed += rng.normal(0, framing.noise, mixed.shape).astype(np.float32)
    return np.clip(mixed, 0, 255).astype(np.uint8)


def original_on(framing: Framing) -> Rgb:
    """The portrait with its own mottled studio backdrop, framed as asked."""
    picture, _ = cutout()
    moved = cv2.warpAffine(
        picture,
        framing.placement(),
        framing.size,
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_REFLECT,
    )
    return np.clip(moved, 0, 255).astype(np.uint8)


def lit(rgb: Rgb, gain: float, lift: float = 0) -> Rgb:
    """The whole photo brighter or darker, as the camera's exposure makes it."""
    return np.clip(rgb.astype(np.float32) * gain + lift, 0, 255).astype(np.uint8)


def jpeg(rgb: Rgb, quality: int = 92, **metadata: bytes) -> bytes:
    """`rgb` as a JPEG, with `exif` or `icc_profile` bytes if given."""
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=quality, **metadata)
    return out.getvalue()


def png(pixels: np.ndarray, level: int = 6) -> bytes:
    """`pixels` (RGB or RGBA) as a PNG."""
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG", compress_level=level)
    return out.getvalue()


def turned_exif(orientation: int) -> bytes:
    """EXIF with an orientation, a camera and a place (which the re-encoded copy must
    drop)."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Phone maker"
    exif[0x8825] = {1: "N", 2: (45.0, 25.0, 12.0), 3: "W", 4: (75.0, 41.0, 48.0)}
    return exif.tobytes()


def with_size(data: bytes, width: int, height: int) -> bytes:
    """A baseline JPEG whose frame header claims another size: what a decompression
    bomb looks like before it is decoded."""
    start = data.index(b"\xff\xc0")  # then length (2), precision (1), height, width
    size = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return data[: start + 5] + size + data[start + 9 :]


def big_png(width: int, height: int) -> bytes:
    """A white PNG of this size in one bit a pixel, written by hand: quick to make and
    small at any number of pixels, as a decompression bomb is."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    pixels = zlib.compress(row * height, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# -- The set, by label ------------------------------------------------------------------

SIZES = ((420, 588), (450, 630), (480, 672), (500, 700), (540, 756), (600, 840), (660, 924))
WALLS = ((250, 250, 250), (255, 255, 255), (242, 242, 240), (236, 238, 240), (246, 243, 238))


def _good(rng: np.random.Generator) -> list[Labelled]:
    made = []
    for number in range(16):
        width, height = SIZES[number % len(SIZES)]
        framing = Framing(
            width=width,
            height=height,
            head=rng.uniform(0.455, 0.495),
            centre=0.5 + rng.uniform(-0.015, 0.015),
            crown=rng.uniform(0.09, 0.14),
            background=WALLS[number % len(WALLS)],
            mirrored=number % 2 == 1,
            turn=rng.uniform(-2, 2),
            gain=rng.uniform(0.92, 1.08),
        )
        picture = portrait_on(framing, rng)
        as_png = number % 4 == 3
        saved = png(picture) if as_png else jpeg(picture, int(rng.choice([86, 92, 95])))
        made.append(
            Labelled(
                f"{'PNG' if as_png else 'JPEG'} {width}x{height}, head {framing.head:.0%} of "
                f"the height, turned {framing.turn:+.1f} degrees, light x{framing.gain:.2f}",
                "good",
                saved,
            )
        )
    upright = portrait_on(Framing(), rng)
    on_its_side = np.ascontiguousarray(np.rot90(upright, 1))  # a phone held sideways
    transparent = np.dstack(
        [
            portrait_on(Framing(background=(0, 0, 0)), rng),
            (opacity(Framing()) * 255).astype(np.uint8),
        ]
    )
    large = Framing(width=720, height=1008, head=0.48)
    made += [
        Labelled(
            "JPEG stored on its side, with EXIF orientation 6",
            "good",
            jpeg(on_its_side, exif=turned_exif(6)),
        ),
        Labelled("PNG with a transparent background", "good", png(transparent)),
        Labelled(
            "a dim exposure, the whole photo x0.88",
            "good",
            jpeg(lit(portrait_on(Framing(), rng), 0.88)),
        ),
        Labelled(
            "a light grey wall (225)",
            "good",
            jpeg(portrait_on(Framing(background=(225, 225, 225)), rng)),
        ),
        Labelled(
            "a phone's noisy sensor (4 grey levels)",
            "good",
            jpeg(portrait_on(Framing(noise=4.0), rng)),
        ),
        Labelled("720x1008, JPEG of quality 80", "good", jpeg(portrait_on(large, rng), 80)),
    ]
    return made


def _exposure(rng: np.random.Generator) -> list[Labelled]:
    made = []
    for gain in (0.36, 0.41, 0.45, 0.48):
        picture = lit(portrait_on(Framing(head=rng.uniform(0.46, 0.49)), rng), gain)
        made.append(Labelled(f"underexposed, light x{gain}", "too_dark", jpeg(picture)))
    for gain, lift in ((1.55, 20), (1.7, 0), (1.9, 10), (1.3, 70)):
        picture = lit(portrait_on(Framing(head=rng.uniform(0.46, 0.49)), rng), gain, lift)
        description = f"overexposed, light x{gain} + {lift}"
        made.append(Labelled(description, "too_bright", jpeg(picture)))
    return made


def _blurred(rng: np.random.Generator) -> list[Labelled]:
    made = []
    for share, (width, height) in (
        (0.010, (600, 840)),
        (0.013, (540, 756)),
        (0.017, (660, 924)),
        (0.023, (480, 672)),
    ):
        framing = Framing(width=width, height=height)
        sigma = share * framing.head * height / 1.58  # of the face's box, about
        picture = cv2.GaussianBlur(portrait_on(framing, rng), (0, 0), sigma)
        description = f"out of focus: a Gaussian blur of {share:.1%} of the face, {width}x{height}"
        made.append(Labelled(description, "blurry", jpeg(picture)))
    return made


def _framed_wrong(rng: np.random.Generator) -> list[Labelled]:
    made = []
    for head in (0.33, 0.35, 0.37, 0.36):
        picture = portrait_on(Framing(head=head, crown=rng.uniform(0.12, 0.2)), rng)
        made.append(Labelled(f"zoomed out, head {head:.0%}", "head_too_small", jpeg(picture)))
    for head in (0.58, 0.61, 0.64, 0.6):
        picture = portrait_on(Framing(head=head, crown=rng.uniform(0.04, 0.07)), rng)
        made.append(Labelled(f"zoomed in, head {head:.0%}", "head_too_large", jpeg(picture)))
    for centre in (0.36, 0.39, 0.62, 0.65):
        picture = portrait_on(Framing(centre=centre, mirrored=centre > 0.5), rng)
        made.append(Labelled(f"face at {centre:.0%} of the width", "off_centre", jpeg(picture)))
    return made


def _backgrounds(rng: np.random.Generator) -> list[Labelled]:
    framing = Framing()
    scene = cv2.resize(samples.astronaut(), (framing.width * 2, framing.height * 2))
    scene = scene[framing.height // 2 :, framing.width // 2 :][: framing.height, : framing.width]
    stripes = np.full((framing.height, framing.width, 3), 245, np.float32)
    for left in range(0, framing.width, 40):
        stripes[:, left : left + 14] = (120, 140, 170)
    cafe = cv2.resize(samples.coffee(), framing.size).astype(np.float32)
    tighter = Framing(head=0.5, crown=0.08, centre=0.47)
    behind = {
        "a flag and a shuttle": scene.astype(np.float32),
        "a mid-grey wall": backdrop(Framing(background=(128, 128, 128))),
        "a dark blue-grey wall": backdrop(Framing(background=(45, 50, 62))),
        "a striped curtain": stripes,
        "a café": cafe,
    }
    made = [
        Labelled(
            "the portrait's own mottled beige backdrop",
            "background_not_plain",
            jpeg(original_on(framing)),
        ),
        Labelled(
            "its own backdrop, framed tighter", "background_not_plain", jpeg(original_on(tighter))
        ),
    ]
    for words, back in behind.items():
        picture = portrait_on(framing, rng, behind=back)
        made.append(Labelled(f"{words} behind the head", "background_not_plain", jpeg(picture)))
    return made


def _faces(rng: np.random.Generator) -> list[Labelled]:
    made = []
    for head, spread in ((0.3, 0.22), (0.32, 0.23), (0.28, 0.2)):
        first = Framing(head=head, centre=0.5 - spread, crown=0.15)
        second = Framing(head=head, centre=0.5 + spread, crown=0.15, mirrored=True)
        picture = portrait_on(second, rng, behind=portrait_on(first, rng).astype(np.float32))
        made.append(
            Labelled(f"two people side by side, heads {head:.0%}", "several_faces", jpeg(picture))
        )
    for head, centre, crown in ((0.22, 0.86, 0.04), (0.2, 0.88, 0.3)):
        behind = portrait_on(Framing(head=head, centre=centre, crown=crown, mirrored=True), rng)
        picture = portrait_on(Framing(centre=0.44), rng, behind=behind.astype(np.float32))
        made.append(
            Labelled(f"someone else behind, head {head:.0%}", "several_faces", jpeg(picture))
        )
    framing = Framing()
    coffee = cv2.resize(samples.coffee()[:, 100:386], framing.size)
    rocket = cv2.resize(samples.rocket()[:, 120:420], framing.size)
    blank = np.clip(rng.normal(246, 3, (framing.height, framing.width, 3)), 0, 255).astype(np.uint8)
    upside_down = np.ascontiguousarray(portrait_on(framing, rng)[::-1, ::-1])
    covered = portrait_on(framing, rng)
    cv2.ellipse(covered, (300, 290), (95, 120), 0, 0, 360, (205, 165, 145), -1)  # a hand
    made += [
        Labelled("a coffee cup, no one in it", "no_face", jpeg(coffee)),
        Labelled("a rocket launch, no one in it", "no_face", jpeg(rocket)),
        Labelled("an empty white picture", "no_face", jpeg(blank)),
        Labelled("the portrait upside down", "no_face", jpeg(upside_down)),
        Labelled("the face covered by a hand", "no_face", jpeg(covered)),
    ]
    return made


def _files(rng: np.random.Generator) -> list[Labelled]:
    made = []
    for width, height in ((300, 420), (400, 560), (360, 504)):
        picture = portrait_on(Framing(width=width, height=height), rng)
        made.append(Labelled(f"only {width}x{height} pixels", "too_few_pixels", jpeg(picture)))
    good = portrait_on(Framing(), rng)
    camera = cv2.resize(good, (4200, 5880), interpolation=cv2.INTER_LINEAR)
    noisy = cv2.resize(good, (1800, 2520)) + rng.normal(0, 8, (2520, 1800, 3))
    made += [
        Labelled("4200x5880 pixels, straight from a camera", "too_many_pixels", jpeg(camera, 85)),
        Labelled(
            "a JPEG whose header claims 60000x60000 pixels (a decompression bomb)",
            "too_many_pixels",
            with_size(jpeg(good), 60000, 60000),
        ),
        Labelled("a one-bit PNG of 12000x9000 pixels", "too_many_pixels", big_png(12000, 9000)),
        Labelled(
            "a JPEG with 5.5 MB of padding after its end",
            "file_too_large",
            jpeg(good) + bytes(5_500_000),
        ),
        Labelled(
            "a noisy 1800x2520 PNG",
            "file_too_large",
            png(np.clip(noisy, 0, 255).astype(np.uint8), level=1),
        ),
        Labelled(
            "a JPEG carrying 6 MB of colour profile",
            "file_too_large",
            jpeg(good, icc_profile=rng.bytes(6_000_000)),
        ),
    ]
    for width, height in ((420, 588), (450, 630), (480, 672)):
        small = portrait_on(Framing(width=width, height=height, noise=0), rng)
        quality = next(q for q in range(30, 0, -1) if len(jpeg(small, q)) < 10_000)
        description = f"{width}x{height} squeezed to a JPEG of quality {quality}"
        made.append(Labelled(description, "file_too_small", jpeg(small, quality)))
    return made


def _not_images(rng: np.random.Generator) -> list[Labelled]:
    good = jpeg(portrait_on(Framing(), rng))
    gif = io.BytesIO()
    Image.fromarray(portrait_on(Framing(), rng)).save(gif, format="GIF")
    return [
        Labelled("a one-page PDF", "not_an_image", PDF),
        Labelled("a JPEG cut off at 40%", "not_an_image", good[: len(good) * 2 // 5]),
        Labelled("a line of text", "not_an_image", b"This is my photo, I hope it is fine.\n"),
        Labelled("no bytes at all", "not_an_image", b""),
        Labelled("random bytes", "not_an_image", rng.bytes(50_000)),
        Labelled("a GIF", "not_an_image", gif.getvalue()),
        Labelled(
            "a JPEG's first bytes, then noise",
            "not_an_image",
            b"\xff\xd8\xff\xe0" + rng.bytes(40_000),
        ),
    ]


def _shapes(rng: np.random.Generator) -> list[Labelled]:
    made = []
    for width, height, words in (
        (700, 700, "square"),
        (840, 600, "landscape"),
        (560, 720, "35 x 45 mm, a visa photo's shape"),
        (540, 960, "9:16, a phone screen's"),
    ):
        picture = portrait_on(Framing(width=width, height=height), rng)
        made.append(Labelled(f"{width}x{height}, {words}", "wrong_shape", jpeg(picture)))
    return made


BUILDERS: tuple[Callable[[np.random.Generator], list[Labelled]], ...] = (
    _good,
    _exposure,
    _blurred,
    _framed_wrong,
    _backgrounds,
    _faces,
    _files,
    _not_images,
    _shapes,
)


@cache
def labelled_set(seed: int = SEED) -> tuple[Labelled, ...]:
    """Every labelled upload, the same ones on every run."""
    rng = np.random.default_rng(seed)
    return tuple(photo for build in BUILDERS for photo in build(rng))
