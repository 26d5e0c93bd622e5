"""The souvenir painter (web/js/souvenir/painter.js) paints a picture in
slices, giving the page the main thread between them, so that making a
souvenir is never one long task: run in Node on a fake clock and a fake
canvas, where each drawing "takes" a fixed time."""

from __future__ import annotations

from pathlib import Path

from tests.unit.node_module import run_module

PAINTER_JS = Path(__file__).resolve().parents[2] / "web" / "js" / "souvenir" / "painter.js"

# Each fill "takes" fill_ms on the fake clock; the log records every drawing
# and every time the painter yields to the page.
SCRIPT = """
const [painterUrl, fillMs, sliceMs, count] = process.argv.slice(2);
let clock = 0;
const fakePerformance = { now: () => clock };
Object.defineProperty(globalThis, "performance", { value: fakePerformance, configurable: true });
const log = [];
globalThis.scheduler = { yield: async () => { log.push("yield"); } };
const { paintOps, paintOpsInSlices, closeArtworks } = await import(painterUrl);
const ctx = {
  fillRect: (x) => { log.push(`fill ${x}`); clock += Number(fillMs); },
};
const fill = (_, i) => ({ op: "fill", rect: [i, 0, 1, 1], colour: "#000" });
const ops = Array.from({ length: Number(count) }, fill);
const paints = { images: new Map(), keeper: null, bones: [], minScore: 0 };
await paintOpsInSlices(ctx, ops, paints, Number(sliceMs));
const sliced = log.splice(0);
paintOps(ctx, ops, paints);
const whole = log.splice(0);
const closed = [];
const bitmap = (name) => ({ close: () => closed.push(name) });
const images = new Map([["a.png", bitmap("a")], ["b.png", bitmap("b")]]);
closeArtworks(images);
console.log(JSON.stringify({ sliced, whole, closed, left: images.size }));
"""


def paint(fill_ms: float, slice_ms: float, count: int) -> dict[str, list[str] | int]:
    result: dict[str, list[str] | int] = run_module(
        SCRIPT, PAINTER_JS.as_uri(), str(fill_ms), str(slice_ms), str(count)
    )
    return result


def test_a_picture_is_painted_in_slices_of_at_most_the_budget() -> None:
    result = paint(fill_ms=5, slice_ms=8, count=5)
    # 5 ms a drawing, 8 ms a slice: two drawings, then the page's turn.
    assert result["sliced"] == ["fill 0", "fill 1", "yield", "fill 2", "fill 3", "yield", "fill 4"]


def test_slices_paint_exactly_what_one_pass_paints() -> None:
    result = paint(fill_ms=3, slice_ms=8, count=12)
    sliced = result["sliced"]
    assert isinstance(sliced, list)
    assert [entry for entry in sliced if entry != "yield"] == result["whole"]
    assert sliced.count("yield") == 3  # 12 drawings of 3 ms, in slices of 3 (9 ms >= 8)


def test_a_drawing_longer_than_a_slice_still_yields_after_it() -> None:
    result = paint(fill_ms=20, slice_ms=8, count=3)
    assert result["sliced"] == ["fill 0", "yield", "fill 1", "yield", "fill 2"]


def test_the_decoded_artworks_are_freed() -> None:
    result = paint(fill_ms=1, slice_ms=8, count=1)
    assert result["closed"] == ["a", "b"]
    assert result["left"] == 0
