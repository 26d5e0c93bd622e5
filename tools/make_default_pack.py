"""Generate the default level pack: five figures drawn from their own keypoints.

Each level's 17 keypoints (COCO / MoveNet order, image pixels, x right, y
down, the figure's *own* left and right: a figure facing us has its right arm
on the viewer's left) are the single source of truth.  The SVG figure is drawn
from them, and ``pack.json`` carries the very same numbers, so the picture and
the reference pose cannot disagree.

Usage::

    python3 tools/make_default_pack.py [OUT_DIR]    # default: web/levels/default

Stdlib only; the output is byte-for-byte deterministic.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

# The keypoint order is the game core's (web/py/strike_a_pose/keypoints.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web" / "py"))
from strike_a_pose.keypoints import KEYPOINT_NAMES

WIDTH, HEIGHT = 600, 800
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "web" / "levels" / "default"

LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es", "it")
CREDIT = "Drawing by the Strike a Pose contributors after the public-domain original; CC0"

Point = tuple[float, float]


# --------------------------------------------------------------------------- geometry


def _add(a: Point, b: Point) -> Point:
    return (a[0] + b[0], a[1] + b[1])


def _sub(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


def _mul(a: Point, k: float) -> Point:
    return (a[0] * k, a[1] * k)


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _length(a: Point) -> float:
    return math.hypot(a[0], a[1])


def _unit(a: Point) -> Point:
    n = _length(a)
    return (a[0] / n, a[1] / n) if n > 1e-9 else (0.0, -1.0)


def _perp(a: Point) -> Point:
    """``a`` turned a quarter clockwise on screen (y down)."""
    return (-a[1], a[0])


def _num(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _pt(p: Point) -> str:
    return f"{_num(p[0])},{_num(p[1])}"


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Material:
    light: str
    dark: str
    outline: str
    hair: str


MARBLE = Material("#fbf8f1", "#cbc2b3", "#5b4f43", "#ddd3c3")
WARM_MARBLE = Material("#fff8ec", "#d9c7ad", "#5e4632", "#e6d5bb")
BRONZE = Material("#a7814b", "#4f3820", "#24170b", "#5e4327")
VERDIGRIS = Material("#a9dccb", "#5b9c87", "#1f4d40", "#6fae98")
INK = Material("#f4e3c3", "#d6b98b", "#4e3116", "#b88a55")


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    artist: str
    date: str
    keypoints: Mapping[str, Point]
    material: Material
    scene: str
    texts: Mapping[str, tuple[str, str]]  # language -> (hint, about)
    weights: Mapping[str, float]
    tolerance: float = 1.0
    upper_body_only: bool = False


def _pose(**points: Point) -> dict[str, Point]:
    missing = set(KEYPOINT_NAMES) - set(points)
    extra = set(points) - set(KEYPOINT_NAMES)
    if missing or extra:
        raise ValueError(f"pose: missing {sorted(missing)}, unknown {sorted(extra)}")
    return {name: points[name] for name in KEYPOINT_NAMES}


# Remember: the figure faces us, so its RIGHT side is on the image's LEFT (small x).
FIGURES: tuple[Figure, ...] = (
    Figure(
        slug="vitruvian_man",
        title="Vitruvian Man",
        artist="After Leonardo da Vinci",
        date="c. 1490",
        keypoints=_pose(
            nose=(300, 192),
            left_eye=(311, 181),
            right_eye=(289, 181),
            left_ear=(325, 186),
            right_ear=(275, 186),
            left_shoulder=(354, 264),
            right_shoulder=(246, 264),
            left_elbow=(442, 264),
            right_elbow=(158, 264),
            left_wrist=(530, 264),
            right_wrist=(70, 264),
            left_hip=(331, 450),
            right_hip=(269, 450),
            left_knee=(327, 574),
            right_knee=(273, 574),
            left_ankle=(322, 694),
            right_ankle=(278, 694),
        ),
        material=INK,
        scene="vitruvian",
        weights={"left_upper_arm": 1.5, "right_upper_arm": 1.5},
        texts={
            "en": (
                "Stand tall and stretch your arms out wide!",
                "Leonardo da Vinci drew this man around 1490 to show how the human body "
                "fits inside a circle and a square.",
            ),
            "fr": (
                "Tiens-toi droit et écarte grand les bras !",
                "Léonard de Vinci a dessiné cet homme vers 1490 pour montrer que le corps "
                "humain tient dans un cercle et un carré.",
            ),
            "de": (
                "Steh gerade und streck die Arme weit aus!",
                "Leonardo da Vinci zeichnete diesen Mann um 1490, um zu zeigen, wie der "
                "Körper in einen Kreis und ein Quadrat passt.",
            ),
            "es": (
                "¡Ponte recto y estira los brazos a los lados!",
                "Leonardo da Vinci dibujó a este hombre hacia 1490 para mostrar cómo el "
                "cuerpo cabe en un círculo y un cuadrado.",
            ),
            "it": (
                "Raddrizza la schiena e apri bene le braccia!",
                "Leonardo da Vinci disegnò quest'uomo intorno al 1490 per mostrare come il "
                "corpo umano stia dentro un cerchio e un quadrato.",
            ),
        },
    ),
    Figure(
        slug="statue_of_liberty",
        title="Statue of Liberty",
        artist="After Frédéric Auguste Bartholdi",
        date="1886",
        keypoints=_pose(
            nose=(300, 222),
            left_eye=(311, 210),
            right_eye=(289, 210),
            left_ear=(325, 216),
            right_ear=(275, 216),
            left_shoulder=(352, 292),
            right_shoulder=(248, 292),
            left_elbow=(380, 392),
            right_elbow=(233, 192),
            left_wrist=(334, 350),
            right_wrist=(224, 98),
            left_hip=(330, 476),
            right_hip=(270, 476),
            left_knee=(336, 596),
            right_knee=(266, 596),
            left_ankle=(344, 708),
            right_ankle=(262, 708),
        ),
        material=VERDIGRIS,
        scene="liberty",
        weights={"right_upper_arm": 2.0, "right_forearm": 2.0},
        texts={
            "en": (
                "Hold your torch up high to the sky!",
                "The Statue of Liberty by Frédéric Auguste Bartholdi has welcomed ships to "
                "New York since 1886. She holds a torch and a tablet.",
            ),
            "fr": (
                "Lève ta torche bien haut vers le ciel !",
                "La statue de la Liberté, de Frédéric Auguste Bartholdi, accueille les "
                "bateaux à New York depuis 1886. Elle tient une torche.",
            ),
            "de": (
                "Halte deine Fackel hoch in den Himmel!",
                "Die Freiheitsstatue von Frédéric Auguste Bartholdi begrüßt seit 1886 die "
                "Schiffe in New York. Sie hält eine Fackel und eine Tafel.",
            ),
            "es": (
                "¡Levanta tu antorcha bien alto hacia el cielo!",
                "La Estatua de la Libertad, de Frédéric Auguste Bartholdi, recibe a los "
                "barcos en Nueva York desde 1886. Sostiene una antorcha.",
            ),
            "it": (
                "Solleva la tua fiaccola in alto, verso il cielo!",
                "La Statua della Libertà di Frédéric Auguste Bartholdi accoglie le navi a "
                "New York dal 1886. Regge una fiaccola e una tavola.",
            ),
        },
    ),
    Figure(
        slug="david",
        title="David",
        artist="After Michelangelo",
        date="1501\u20131504",
        keypoints=_pose(
            nose=(311, 210),
            left_eye=(321, 198),
            right_eye=(300, 198),
            left_ear=(330, 205),
            right_ear=(282, 204),
            left_shoulder=(353, 280),
            right_shoulder=(247, 288),
            left_elbow=(418, 352),
            right_elbow=(232, 392),
            left_wrist=(342, 274),
            right_wrist=(226, 492),
            left_hip=(333, 474),
            right_hip=(271, 466),
            left_knee=(356, 592),
            right_knee=(266, 592),
            left_ankle=(380, 704),
            right_ankle=(268, 710),
        ),
        material=MARBLE,
        scene="david",
        weights={"left_forearm": 2.0, "right_forearm": 1.5},
        tolerance=1.1,
        texts={
            "en": (
                "Rest on one leg, one hand up by your shoulder!",
                "Michelangelo carved David from one huge block of marble between 1501 and "
                "1504. He stands relaxed, ready to face Goliath.",
            ),
            "fr": (
                "Appuie-toi sur une jambe, la main sur l'épaule !",
                "Michel-Ange a sculpté David dans un énorme bloc de marbre, de 1501 à 1504. "
                "Il est calme, prêt à affronter Goliath.",
            ),
            "de": (
                "Steh auf einem Bein, eine Hand an der Schulter!",
                "Michelangelo meißelte David von 1501 bis 1504 aus einem riesigen "
                "Marmorblock. Er steht ruhig da, bereit für Goliath.",
            ),
            "es": (
                "¡Apóyate en una pierna, con la mano en el hombro!",
                "Miguel Ángel esculpió a David en un enorme bloque de mármol entre 1501 y "
                "1504. Está tranquilo, listo para enfrentarse a Goliat.",
            ),
            "it": (
                "Appoggiati su una gamba, con una mano vicino alla spalla!",
                "Michelangelo scolpì il David da un enorme blocco di marmo tra il 1501 e il "
                "1504. È rilassato, pronto ad affrontare Golia.",
            ),
        },
    ),
    Figure(
        slug="the_thinker",
        title="The Thinker",
        artist="After Auguste Rodin",
        date="1904",
        keypoints=_pose(
            nose=(298, 266),
            left_eye=(309, 254),
            right_eye=(287, 254),
            left_ear=(323, 256),
            right_ear=(273, 256),
            left_shoulder=(356, 332),
            right_shoulder=(242, 332),
            left_elbow=(404, 432),
            right_elbow=(300, 456),
            left_wrist=(310, 478),
            right_wrist=(294, 318),
            left_hip=(337, 500),
            right_hip=(263, 500),
            left_knee=(378, 552),
            right_knee=(222, 552),
            left_ankle=(386, 700),
            right_ankle=(214, 700),
        ),
        material=BRONZE,
        scene="thinker",
        weights={"right_forearm": 2.0, "right_upper_arm": 1.5},
        tolerance=1.2,
        upper_body_only=True,
        texts={
            "en": (
                "Rest your chin on your fist and think hard!",
                "Auguste Rodin's Thinker sits lost in thought. This big bronze was cast in "
                "1904 and is one of the most famous statues in the world.",
            ),
            "fr": (
                "Pose ton menton sur ton poing et réfléchis !",
                "Le Penseur d'Auguste Rodin est perdu dans ses pensées. Ce grand bronze, "
                "fondu en 1904, est l'une des statues les plus célèbres.",
            ),
            "de": (
                "Stütz dein Kinn auf die Faust und denk nach!",
                "Rodins Denker ist tief in Gedanken. Die große Bronze wurde 1904 gegossen "
                "und ist eine der berühmtesten Statuen der Welt.",
            ),
            "es": (
                "¡Apoya la barbilla en el puño y piensa mucho!",
                "El Pensador de Auguste Rodin está perdido en sus pensamientos. Este gran "
                "bronce de 1904 es una de las estatuas más famosas.",
            ),
            "it": (
                "Appoggia il mento sul pugno e rifletti!",
                "Il Pensatore di Auguste Rodin è immerso nei suoi pensieri. Questo grande "
                "bronzo fu fuso nel 1904 ed è una delle statue più famose al mondo.",
            ),
        },
    ),
    Figure(
        slug="discobolus",
        title="Discobolus",
        artist="After Myron",
        date="c. 460\u2013450 BC",
        keypoints=_pose(
            nose=(271, 266),
            left_eye=(282, 253),
            right_eye=(261, 255),
            left_ear=(297, 254),
            right_ear=(251, 260),
            left_shoulder=(338, 318),
            right_shoulder=(234, 334),
            left_elbow=(332, 418),
            right_elbow=(150, 284),
            left_wrist=(262, 462),
            right_wrist=(76, 240),
            left_hip=(334, 500),
            right_hip=(268, 502),
            left_knee=(402, 596),
            right_knee=(236, 600),
            left_ankle=(424, 708),
            right_ankle=(258, 712),
        ),
        material=WARM_MARBLE,
        scene="discobolus",
        weights={
            "right_upper_arm": 2.0,
            "right_forearm": 1.5,
            "left_forearm": 2.0,
            "left_thigh": 1.5,
            "right_thigh": 1.5,
        },
        tolerance=1.15,
        texts={
            "en": (
                "Swing one arm back high and bend your knees!",
                "Myron's Discus Thrower was a Greek bronze of about 460\u2013450 BC, known today "
                "from Roman marble copies. He is about to throw!",
            ),
            "fr": (
                "Lance un bras loin en arrière et plie les genoux !",
                "Le Discobole de Myron est un bronze grec (vers 460\u2013450 av. J.-C.) connu "
                "par des copies romaines en marbre. Il va lancer !",
            ),
            "de": (
                "Schwing einen Arm hoch nach hinten, Knie beugen!",
                "Myrons Diskuswerfer war eine griechische Bronze (um 460\u2013450 v. Chr.), "
                "bekannt aus römischen Marmorkopien. Gleich wirft er!",
            ),
            "es": (
                "¡Lanza un brazo muy atrás y dobla las rodillas!",
                "El Discóbolo de Mirón fue un bronce griego (hacia 460\u2013450 a. C.) conocido "
                "por copias romanas de mármol. ¡Está a punto de lanzar!",
            ),
            "it": (
                "Porta un braccio in alto all'indietro e piega le ginocchia!",
                "Il Discobolo di Mirone era un bronzo greco del 460\u2013450 a.C. circa, noto "
                "oggi grazie a copie romane in marmo. Sta per lanciare!",
            ),
        },
    ),
)


# --------------------------------------------------------------------------- drawing


class Svg:
    """Collects SVG elements; ids are prefixed with the level's slug."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.defs: list[str] = []
        self.body: list[str] = []

    def id(self, name: str) -> str:
        return f"{self.slug}-{name}"

    def url(self, name: str) -> str:
        return f"url(#{self.id(name)})"

    def linear(
        self, name: str, stops: Sequence[tuple[float, str]], x2: float = 1, y2: float = 0
    ) -> None:
        inner = "".join(f'<stop offset="{_num(o)}" stop-color="{c}"/>' for o, c in stops)
        self.defs.append(
            f'<linearGradient id="{self.id(name)}" x1="0" y1="0" x2="{_num(x2)}" '
            f'y2="{_num(y2)}">{inner}</linearGradient>'
        )

    def radial(self, name: str, stops: Sequence[tuple[float, str, float]]) -> None:
        inner = "".join(
            f'<stop offset="{_num(o)}" stop-color="{c}" stop-opacity="{_num(a)}"/>'
            for o, c, a in stops
        )
        self.defs.append(
            f'<radialGradient id="{self.id(name)}" cx="0.5" cy="0.45" r="0.6">'
            f"{inner}</radialGradient>"
        )

    def add(self, element: str) -> None:
        self.body.append(element)

    def render(self, label: str) -> str:
        lines = [
            '<svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
            f'role="img" aria-label={quoteattr(label)}>',
            f"<defs>{''.join(self.defs)}</defs>",
            *self.body,
            "</svg>",
        ]
        return "\n".join(lines) + "\n"


def _capsule(p: Point, q: Point, r1: float, r2: float) -> str:
    """Path data of a tapered limb: circles of radius r1 at p and r2 at q, joined."""
    d = _length(_sub(q, p))
    u = _unit(_sub(q, p))
    n = _perp(u)
    s = max(-0.95, min(0.95, (r1 - r2) / d)) if d > 1e-9 else 0.0
    c = math.sqrt(1 - s * s)
    v1 = _add(_mul(n, c), _mul(u, s))
    v2 = _add(_mul(n, -c), _mul(u, s))
    a, b = _add(p, _mul(v1, r1)), _add(q, _mul(v1, r2))
    e, f = _add(q, _mul(v2, r2)), _add(p, _mul(v2, r1))
    large_q = 1 if s < 0 else 0
    large_p = 1 if s > 0 else 0
    return (
        f"M{_pt(a)}L{_pt(b)}A{_num(r2)} {_num(r2)} 0 {large_q} 0 {_pt(e)}"
        f"L{_pt(f)}A{_num(r1)} {_num(r1)} 0 {large_p} 0 {_pt(a)}Z"
    )


def _chain(svg: Svg, shapes: Sequence[str], m: Material) -> None:
    """Shapes (an element's opening tag, without paint) drawn as one smooth piece.

    First every outline, then every fill: the joints between segments of one
    limb show no seams, while each limb keeps its outline against the others.
    """
    for shape in shapes:
        svg.add(
            f'{shape} fill="{m.outline}" stroke="{m.outline}" stroke-width="5" '
            f'stroke-linejoin="round"/>'
        )
    for shape in shapes:
        svg.add(f'{shape} fill="{svg.url("skin")}"/>')


def _segment(p: Point, q: Point, r1: float, r2: float) -> str:
    return f'<path d="{_capsule(p, q, r1, r2)}"'


def _ellipse(centre: Point, rx: float, ry: float, angle: float) -> str:
    return (
        f'<ellipse cx="{_num(centre[0])}" cy="{_num(centre[1])}" rx="{_num(rx)}" '
        f'ry="{_num(ry)}" transform="rotate({_num(angle)} {_pt(centre)})"'
    )


def _hand(elbow: Point, wrist: Point, fist: bool = False) -> str:
    """A hand continuing the forearm beyond the wrist."""
    u = _unit(_sub(wrist, elbow))
    size = 15.0 if fist else 13.0
    reach = 10.0 if fist else 14.0
    centre = _add(wrist, _mul(u, reach))
    angle = math.degrees(math.atan2(u[1], u[0]))
    rx, ry = (size, size * 0.9) if fist else (size * 1.35, size * 0.8)
    return _ellipse(centre, rx, ry, angle)


def _foot(ankle: Point, side: float) -> str:
    """A foot below the ankle, turned a little outwards (side: -1 image-left, +1 right)."""
    return _ellipse((ankle[0] + side * 10, ankle[1] + 12), 24, 11, side * 12)


def _torso(svg: Svg, k: Mapping[str, Point], m: Material) -> None:
    rs, ls = k["right_shoulder"], k["left_shoulder"]
    rh, lh = k["right_hip"], k["left_hip"]
    mid_s, mid_h = _lerp(rs, ls, 0.5), _lerp(rh, lh, 0.5)
    up = _unit(_sub(mid_s, mid_h))
    across_s = _unit(_sub(ls, rs))  # towards the figure's left (image right)
    across_h = _unit(_sub(lh, rh))
    s_half = _length(_sub(ls, rs)) / 2
    h_half = _length(_sub(lh, rh)) / 2
    rs_o = _add(rs, _mul(across_s, -8))
    ls_o = _add(ls, _mul(across_s, 8))
    rh_o = _add(rh, _mul(across_h, -16))
    lh_o = _add(lh, _mul(across_h, 16))
    waist = _lerp(mid_s, mid_h, 0.62)
    w_half = min(s_half, h_half + 16) * 0.78
    across_w = _unit(_lerp(across_s, across_h, 0.6))
    rw, lw = _add(waist, _mul(across_w, -w_half)), _add(waist, _mul(across_w, w_half))
    neck = _add(mid_s, _mul(up, 10))
    crotch = _add(mid_h, _mul(up, -34))
    r_chest = _add(_lerp(rs_o, rw, 0.35), _mul(across_s, -4))
    l_chest = _add(_lerp(ls_o, lw, 0.35), _mul(across_s, 4))
    path = (
        f"M{_pt(rs_o)}Q{_pt(neck)} {_pt(ls_o)}"
        f"C{_pt(l_chest)} {_pt(lw)} {_pt(lw)}"
        f"Q{_pt(_lerp(lw, lh_o, 0.6))} {_pt(lh_o)}"
        f"Q{_pt(_add(crotch, _mul(across_h, 20)))} {_pt(crotch)}"
        f"Q{_pt(_add(crotch, _mul(across_h, -20)))} {_pt(rh_o)}"
        f"Q{_pt(_lerp(rw, rh_o, 0.6))} {_pt(rw)}"
        f"C{_pt(rw)} {_pt(r_chest)} {_pt(rs_o)}Z"
    )
    svg.add(
        f'<path d="{path}" fill="{svg.url("skin")}" stroke="{m.outline}" '
        f'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    # A few sculpted lines: chest and navel.
    chest_y = _add(mid_s, _mul(up, -0.28 * _length(_sub(mid_s, mid_h))))
    pec_r = _add(chest_y, _mul(across_s, -s_half * 0.55))
    pec_l = _add(chest_y, _mul(across_s, s_half * 0.55))
    sag = _mul(up, -12)
    svg.add(
        f'<path d="M{_pt(_add(pec_r, _mul(across_s, -14)))}Q{_pt(_add(pec_r, sag))} '
        f"{_pt(_add(chest_y, _mul(up, 6)))}Q{_pt(_add(pec_l, sag))} "
        f'{_pt(_add(pec_l, _mul(across_s, 14)))}" fill="none" stroke="{m.outline}" '
        f'stroke-opacity="0.45" stroke-width="2" stroke-linecap="round"/>'
    )
    navel = _lerp(mid_s, mid_h, 0.72)
    svg.add(
        f'<ellipse cx="{_num(navel[0])}" cy="{_num(navel[1])}" rx="2.5" ry="3.5" '
        f'fill="{m.outline}" fill-opacity="0.45"/>'
    )


def _head_shape(k: Mapping[str, Point]) -> tuple[Point, float, float, float]:
    """Centre, radii and tilt (degrees) of the head, from the face keypoints."""
    re, le = k["right_ear"], k["left_ear"]
    ear_mid = _lerp(re, le, 0.5)
    span = _length(_sub(le, re))
    tilt = math.degrees(math.atan2(le[1] - re[1], le[0] - re[0]))
    centre = (ear_mid[0] * 0.7 + k["nose"][0] * 0.3, ear_mid[1] - 4)
    return centre, span * 0.6, span * 0.76, tilt


def _neck(svg: Svg, k: Mapping[str, Point], m: Material) -> None:
    centre, rx, ry, _ = _head_shape(k)
    top = (centre[0], centre[1] + ry * 0.6)
    mid_s = _lerp(k["right_shoulder"], k["left_shoulder"], 0.5)
    svg.add(
        f'<path d="{_capsule(mid_s, top, rx * 0.57, rx * 0.47)}" '
        f'fill="{svg.url("skin")}" stroke="{m.outline}" stroke-width="2.5"/>'
    )


def _head(svg: Svg, k: Mapping[str, Point], m: Material, hair: str) -> None:
    nose = k["nose"]
    centre, rx, ry, tilt = _head_shape(k)
    rot = f"rotate({_num(tilt)} {_pt(centre)})"
    cx, cy = _num(centre[0]), _num(centre[1])
    svg.add(
        f'<g transform="{rot}"><ellipse cx="{cx}" cy="{cy}" rx="{_num(rx)}" ry="{_num(ry)}" '
        f'fill="{svg.url("skin")}" stroke="{m.outline}" stroke-width="2.5"/>'
    )
    # Hair: a cap over the top of the head, with curls or waves.
    top = centre[1] - ry
    x0, x1 = centre[0] - rx - 2, centre[0] + rx + 2
    y_side = centre[1] - ry * 0.15
    cap = (
        f"M{_num(x0)},{_num(y_side)}"
        f"C{_num(x0)},{_num(top - 14)} {_num(x1)},{_num(top - 14)} {_num(x1)},{_num(y_side)}"
        f"Q{_num(centre[0] + rx * 0.5)},{_num(top + ry * 0.45)} {_num(centre[0])},"
        f"{_num(top + ry * 0.42)}"
        f"Q{_num(centre[0] - rx * 0.5)},{_num(top + ry * 0.45)} {_num(x0)},{_num(y_side)}Z"
    )
    svg.add(f'<path d="{cap}" fill="{m.hair}" stroke="{m.outline}" stroke-width="2"/>')
    if hair == "curls":
        for i in range(5):
            t = (i + 0.5) / 5
            x = x0 + (x1 - x0) * t
            y = top + 6 + 10 * (2 * t - 1) ** 2
            svg.add(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="6" fill="none" '
                f'stroke="{m.outline}" stroke-opacity="0.5" stroke-width="1.5"/>'
            )
    svg.add("</g>")
    # Face: closed, calm eyes and a nose line (drawn unrotated at the keypoints).
    for eye in (k["right_eye"], k["left_eye"]):
        svg.add(
            f'<path d="M{_num(eye[0] - 6)},{_num(eye[1])}Q{_num(eye[0])},{_num(eye[1] + 4)} '
            f'{_num(eye[0] + 6)},{_num(eye[1])}" fill="none" stroke="{m.outline}" '
            f'stroke-width="2" stroke-linecap="round"/>'
        )
    eyes_mid = _lerp(k["right_eye"], k["left_eye"], 0.5)
    svg.add(
        f'<path d="M{_pt(_lerp(eyes_mid, nose, 0.3))}L{_pt(nose)}l-5,2" fill="none" '
        f'stroke="{m.outline}" stroke-opacity="0.7" stroke-width="2" stroke-linecap="round"/>'
    )
    mouth = _add(nose, (0, 14))
    svg.add(
        f'<path d="M{_num(mouth[0] - 6)},{_num(mouth[1])}h12" stroke="{m.outline}" '
        f'stroke-opacity="0.6" stroke-width="2" stroke-linecap="round"/>'
    )


def _plinth(svg: Svg, top: float, half: float, colour: str, edge: str) -> None:
    x0 = 300 - half
    svg.add(
        f'<rect x="{_num(x0 - 12)}" y="{_num(top)}" width="{_num(2 * half + 24)}" height="16" '
        f'fill="{colour}" stroke="{edge}" stroke-width="2"/>'
    )
    svg.add(
        f'<rect x="{_num(x0)}" y="{_num(top + 16)}" width="{_num(2 * half)}" '
        f'height="{_num(HEIGHT - top)}" fill="{svg.url("plinth")}" stroke="{edge}" '
        f'stroke-width="2"/>'
    )
    # A small plaque without text.
    svg.add(
        f'<rect x="270" y="{_num(top + 36)}" width="60" height="22" rx="2" fill="#b08d4a" '
        f'stroke="#6b5324" stroke-width="1.5"/>'
    )
    svg.add(
        f'<path d="M280,{_num(top + 44)}h40M284,{_num(top + 51)}h32" stroke="#6b5324" '
        f'stroke-width="1.5"/>'
    )


def _gallery(svg: Svg, wall_top: str, wall_bottom: str, floor: str) -> None:
    svg.linear("wall", [(0, wall_top), (1, wall_bottom)], x2=0, y2=1)
    svg.radial("spot", [(0, "#ffffff", 0.28), (1, "#ffffff", 0)])
    svg.add(f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{svg.url("wall")}"/>')
    svg.add(f'<rect y="730" width="{WIDTH}" height="70" fill="{floor}"/>')
    svg.add(f'<ellipse cx="300" cy="380" rx="300" ry="380" fill="{svg.url("spot")}"/>')


def _scene_before(svg: Svg, fig: Figure) -> None:
    """Background and props behind the figure."""
    k = fig.keypoints
    svg.linear("plinth", [(0, "#e4ddd0"), (1, "#a79e8f")])
    if fig.scene == "vitruvian":
        svg.linear("paper", [(0, "#f6ebd0"), (1, "#e7d3a8")], x2=0.3, y2=1)
        svg.add(f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{svg.url("paper")}"/>')
        ink = "#6b4624"
        for y in (40, 58, 76, 754, 772):  # mirror-writing, suggested by faint lines
            svg.add(
                f'<path d="M60,{y}h130m14,0h90m12,0h150m16,0h70" stroke="{ink}" '
                f'stroke-opacity="0.35" stroke-width="2" stroke-dasharray="9 4 3 4"/>'
            )
        svg.add(
            f'<rect x="20" y="148" width="560" height="560" fill="none" stroke="{ink}" '
            f'stroke-width="3"/>'
        )
        svg.add(f'<circle cx="300" cy="420" r="290" fill="none" stroke="{ink}" stroke-width="3"/>')
        svg.add(f'<path d="M20,708h560" stroke="{ink}" stroke-width="2"/>')
    elif fig.scene == "liberty":
        svg.linear("sky", [(0, "#7fb4df"), (0.7, "#d6e8f5"), (1, "#eef5fa")], x2=0, y2=1)
        svg.add(f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{svg.url("sky")}"/>')
        svg.add('<path d="M0,745h600v55H0z" fill="#4f7ea6"/>')
        svg.add(
            '<path d="M0,752q40,-6 80,0t80,0t80,0t80,0t80,0t80,0t80,0t80,0" fill="none" '
            'stroke="#d6e8f5" stroke-opacity="0.6" stroke-width="2"/>'
        )
        _plinth(svg, 724, 150, "#d9cfbd", "#8a7f6c")
        # The tablet, held against the figure's left side, behind the forearm.
        wrist, elbow = k["left_wrist"], k["left_elbow"]
        centre = _add(_lerp(wrist, elbow, 0.3), (0, -52))
        svg.add(
            f'<g transform="rotate(-14 {_pt(centre)})"><rect x="{_num(centre[0] - 36)}" '
            f'y="{_num(centre[1] - 62)}" width="72" height="124" rx="5" fill="#c9e8dc" '
            f'stroke="#1f4d40" stroke-width="2.5"/><path d="M{_num(centre[0] - 20)},'
            f'{_num(centre[1] - 30)}h40m-40,14h34m-34,14h40" stroke="#1f4d40" '
            f'stroke-opacity="0.5" stroke-width="2"/></g>'
        )
        # The torch, its handle in the raised right hand.
        hand = k["right_wrist"]
        u = _unit(_sub(hand, k["right_elbow"]))
        base = _add(hand, _mul(u, -4))
        cup = _add(hand, _mul(u, 46))
        svg.add(
            f'<path d="{_capsule(base, cup, 7, 9)}" fill="#7fbca6" stroke="#1f4d40" '
            f'stroke-width="2.5"/>'
        )
        fx, fy = cup
        svg.add(
            f'<path d="M{_num(fx - 20)},{_num(fy)}h40l-6,10h-28z" fill="#d9b44a" '
            f'stroke="#7a5a14" stroke-width="2"/>'
        )
        svg.add(
            f'<path d="M{_num(fx - 17)},{_num(fy)}C{_num(fx - 26)},{_num(fy - 30)} '
            f"{_num(fx - 4)},{_num(fy - 40)} {_num(fx + 2)},{_num(fy - 70)}"
            f"C{_num(fx + 10)},{_num(fy - 44)} {_num(fx + 28)},{_num(fy - 30)} "
            f'{_num(fx + 17)},{_num(fy)}z" fill="#f2b632" stroke="#b5651d" stroke-width="2"/>'
        )
        svg.add(
            f'<path d="M{_num(fx - 7)},{_num(fy)}C{_num(fx - 10)},{_num(fy - 16)} '
            f"{_num(fx)},{_num(fy - 24)} {_num(fx + 2)},{_num(fy - 38)}"
            f"C{_num(fx + 6)},{_num(fy - 22)} {_num(fx + 12)},{_num(fy - 14)} "
            f'{_num(fx + 7)},{_num(fy)}z" fill="#fff1a8"/>'
        )
    elif fig.scene == "david":
        _gallery(svg, "#3f4c60", "#2b3442", "#1f252f")
        _plinth(svg, 724, 130, "#e8e2d6", "#6f675b")
        # The tree stump David leans against, behind his right leg.
        svg.add(
            '<path d="M220,724v-150q0,-14 14,-14h24q14,0 14,14v150z" fill="#d9d2c4" '
            'stroke="#5b4f43" stroke-width="2.5"/>'
        )
    elif fig.scene == "thinker":
        _gallery(svg, "#efe3c8", "#d8c39b", "#9c8258")
        svg.linear("rock", [(0, "#8f8677"), (1, "#5c5448")], x2=0.4, y2=1)
        _plinth(svg, 724, 170, "#d9cfbd", "#8a7f6c")
        svg.add(
            f'<path d="M180,724L168,560Q176,486 240,474L360,472Q420,480 430,552L422,724Z" '
            f'fill="{svg.url("rock")}" stroke="#3b352c" stroke-width="2.5"/>'
        )
        svg.add(
            '<path d="M196,640q20,-12 40,4M380,610q18,-10 32,6M200,700q30,-8 60,2" '
            'fill="none" stroke="#3b352c" stroke-opacity="0.5" stroke-width="2"/>'
        )
    elif fig.scene == "discobolus":
        _gallery(svg, "#9a4535", "#6c2a20", "#4a1d16")
        _plinth(svg, 728, 190, "#efe6d6", "#6f5b45")
    else:  # pragma: no cover - every figure names a known scene
        raise ValueError(fig.scene)


def _scene_middle(svg: Svg, fig: Figure) -> None:
    """Drapery over the torso and legs, under the arms."""
    k = fig.keypoints
    if fig.scene != "liberty":
        return
    rh, lh = k["right_hip"], k["left_hip"]
    ra, la = k["right_ankle"], k["left_ankle"]
    top_r, top_l = _add(rh, (-22, -50)), _add(lh, (22, -50))
    hem_r, hem_l = _add(ra, (-40, 4)), _add(la, (40, 4))
    hem = "".join(
        f"q{_num((hem_l[0] - hem_r[0]) / 12)},8 {_num((hem_l[0] - hem_r[0]) / 6)},0"
        for _ in range(6)
    )
    svg.add(
        f'<path d="M{_pt(top_r)}L{_pt(hem_r)}{hem}L{_pt(top_l)}Z" fill="#5b9c87" '
        f'fill-opacity="0.45" stroke="#1f4d40" stroke-width="2.5" stroke-linejoin="round"/>'
    )
    folds = "".join(
        f"M{_pt(_lerp(top_r, top_l, t))}L{_pt(_lerp(hem_r, hem_l, t))}"
        for t in (0.2, 0.42, 0.62, 0.82)
    )
    svg.add(f'<path d="{folds}" stroke="#1f4d40" stroke-opacity="0.35" stroke-width="2"/>')


def _scene_after(svg: Svg, fig: Figure) -> None:
    """Props in front of the figure."""
    k = fig.keypoints
    if fig.scene == "liberty":
        # Crown with seven rays.
        re, le = k["right_ear"], k["left_ear"]
        centre = (k["nose"][0], _lerp(re, le, 0.5)[1] - 4)
        span = _length(_sub(le, re))
        ry = span * 0.76
        rays = []
        for i in range(7):
            angle = math.radians(-160 + i * (140 / 6))
            base = (centre[0] + math.cos(angle) * span * 0.55, centre[1] - ry * 0.55)
            tip = (centre[0] + math.cos(angle) * span * 1.4, centre[1] + math.sin(angle) * 58)
            side = _mul(_perp(_unit(_sub(tip, base))), 5)
            rays.append(f"M{_pt(_add(base, side))}L{_pt(tip)}L{_pt(_sub(base, side))}Z")
        svg.add(
            f'<path d="{"".join(rays)}" fill="#8fcbb6" stroke="#1f4d40" stroke-width="2" '
            f'stroke-linejoin="round"/>'
        )
        band_y = centre[1] - ry * 0.55
        svg.add(
            f'<rect x="{_num(centre[0] - span * 0.62)}" y="{_num(band_y - 6)}" '
            f'width="{_num(span * 1.24)}" height="14" rx="5" fill="#8fcbb6" '
            f'stroke="#1f4d40" stroke-width="2"/>'
        )
    elif fig.scene == "discobolus":
        hand = k["right_wrist"]
        u = _unit(_sub(hand, k["right_elbow"]))
        centre = _add(hand, _mul(u, 18))
        svg.add(
            f'<ellipse cx="{_num(centre[0])}" cy="{_num(centre[1])}" rx="30" ry="24" '
            f'transform="rotate(-40 {_pt(centre)})" fill="#b9925a" stroke="#5e4632" '
            f'stroke-width="3"/>'
        )
        svg.add(
            f'<ellipse cx="{_num(centre[0])}" cy="{_num(centre[1])}" rx="14" ry="11" '
            f'transform="rotate(-40 {_pt(centre)})" fill="none" stroke="#5e4632" '
            f'stroke-opacity="0.6" stroke-width="2"/>'
        )


def draw(fig: Figure) -> str:
    """The SVG document of one level, drawn from its keypoints."""
    svg = Svg(fig.slug)
    m = fig.material
    svg.linear("skin", [(0, m.light), (0.55, m.light), (1, m.dark)], x2=1, y2=0.35)
    _scene_before(svg, fig)
    k = fig.keypoints
    # Legs first (behind the torso), then torso, neck, arms, head.
    for side, sign in (("right", -1.0), ("left", 1.0)):
        hip, knee, ankle = k[f"{side}_hip"], k[f"{side}_knee"], k[f"{side}_ankle"]
        _chain(
            svg,
            [_segment(hip, knee, 25, 18), _segment(knee, ankle, 18, 11), _foot(ankle, sign)],
            m,
        )
    _torso(svg, k, m)
    _scene_middle(svg, fig)
    _neck(svg, k, m)
    hair = "waves" if fig.scene in ("vitruvian", "liberty") else "curls"
    if fig.scene == "thinker":  # the chin rests on the fist: draw the head last
        _arms(svg, fig)
        _head(svg, k, m, hair)
    else:
        _head(svg, k, m, hair)
        _arms(svg, fig)
    _scene_after(svg, fig)
    return svg.render(f"{fig.title}, {fig.artist.lower()[:1]}{fig.artist[1:]}")


def _arms(svg: Svg, fig: Figure) -> None:
    k, m = fig.keypoints, fig.material
    for side in ("right", "left"):
        shoulder, elbow, wrist = k[f"{side}_shoulder"], k[f"{side}_elbow"], k[f"{side}_wrist"]
        fist = side == "right" and fig.scene in ("thinker", "liberty")
        upper = _segment(shoulder, elbow, 18, 14)
        lower = [_segment(elbow, wrist, 14, 10), _hand(elbow, wrist, fist=fist)]
        if _bend(shoulder, elbow, wrist) > 110:
            # A folded arm: outline the forearm on its own so the bend reads.
            _chain(svg, [upper], m)
            _chain(svg, lower, m)
        else:
            _chain(svg, [upper, *lower], m)


def _bend(a: Point, b: Point, c: Point) -> float:
    """How far the limb a-b-c bends at b, in degrees (0 = straight)."""
    u, v = _sub(b, a), _sub(c, b)
    cross = u[0] * v[1] - u[1] * v[0]
    dot = u[0] * v[0] + u[1] * v[1]
    return abs(math.degrees(math.atan2(cross, dot)))


# --------------------------------------------------------------------------- pack


def level_entry(fig: Figure) -> dict[str, object]:
    return {
        "image": f"{fig.slug}.svg",
        "title": fig.title,
        "artist": fig.artist,
        "date": fig.date,
        "credit": CREDIT,
        "image_size": [WIDTH, HEIGHT],
        "keypoints": [
            [float(fig.keypoints[name][0]), float(fig.keypoints[name][1]), 1.0]
            for name in KEYPOINT_NAMES
        ],
        "weights": dict(fig.weights),
        "tolerance": fig.tolerance,
        "mirror_ok": True,
        "upper_body_only": fig.upper_body_only,
        "texts": {
            lang: {"hint": fig.texts[lang][0], "about": fig.texts[lang][1]} for lang in LANGUAGES
        },
    }


def pack_document() -> dict[str, object]:
    return {
        "format_version": 1,
        "id": "default",
        "title": "Famous poses",
        "languages": list(LANGUAGES),
        "default_language": "en",
        "levels": [level_entry(fig) for fig in FIGURES],
    }


def write_pack(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fig in FIGURES:
        path = out_dir / f"{fig.slug}.svg"
        path.write_bytes(draw(fig).encode("utf-8"))
        written.append(path)
    text = json.dumps(pack_document(), ensure_ascii=False, indent=2) + "\n"
    path = out_dir / "pack.json"
    path.write_bytes(text.encode("utf-8"))
    written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: make_default_pack.py [OUT_DIR]", file=sys.stderr)
        return 2
    out_dir = Path(args[0]) if args else DEFAULT_OUT
    for path in write_pack(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
