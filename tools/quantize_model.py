"""Re-quantize MoveNet's weights from float16 to uint8: half the bytes, if
the keypoints survive it.  They do not (docs/startup.md): the game keeps the
pinned float16 model, and this tool stays for measuring (bench/model_fidelity.py).

Reads the pinned TF.js graph model (``web/models/movenet-lightning.json`` and
its ``.bin``, float16 weights) and writes ``movenet-lightning-uint8.json``
and ``.bin`` beside it: a float weight tensor becomes one byte per value with
its own ``min`` and ``scale`` (value = byte * scale + min), in the TF.js
weights manifest's own ``quantization`` form, which TF.js expands back to
float32 when it loads the model.  One step per tensor only fits tensors whose
values spread evenly: with ``step_limit``, a tensor whose step would exceed
that share of its standard deviation (the depthwise convolutions, whose
folded batch norm leaves a few huge values among many small ones, first)
stays float16.  Integer tensors are copied as they are.  The topology is
unchanged.  Standard library only (``struct``
decodes float16), and deterministic: the same input gives the same bytes.

Whether the uint8 model is good enough is measured, not assumed:
``bench/model_fidelity.py`` compares both models' keypoints on the test
video's frames and the game's decisions on them (docs/startup.md).

``python3 tools/quantize_model.py [--models DIR]``
"""

from __future__ import annotations

import argparse
import json
import math
import struct
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "web" / "models"
SOURCE = "movenet-lightning"
TARGET = "movenet-lightning-uint8"
LEVELS = 255


class ModelError(Exception):
    pass


def _element_count(shape: Sequence[int]) -> int:
    return math.prod(shape) if shape else 1


def _source_width(entry: dict[str, Any]) -> int:
    """Bytes per value of a weight as stored in the source .bin."""
    quantization = entry.get("quantization")
    if quantization:
        widths = {"float16": 2, "uint8": 1, "uint16": 2}
        if quantization.get("dtype") not in widths:
            raise ModelError(f"{entry['name']}: unknown quantization {quantization}")
        return widths[quantization["dtype"]]
    if entry["dtype"] in ("float32", "int32"):
        return 4
    raise ModelError(f"{entry['name']}: unexpected dtype {entry['dtype']}")


def _floats(entry: dict[str, Any], data: bytes) -> list[float]:
    quantization = entry.get("quantization")
    count = _element_count(entry["shape"])
    if quantization and quantization["dtype"] == "float16":
        return list(struct.unpack(f"<{count}e", data))
    if not quantization and entry["dtype"] == "float32":
        return list(struct.unpack(f"<{count}f", data))
    raise ModelError(f"{entry['name']}: cannot read {entry['dtype']} / {quantization}")


def quantize(values: Sequence[float]) -> tuple[bytes, float, float]:
    """(uint8 bytes, min, scale) with value ~= byte * scale + min."""
    low, high = min(values), max(values)
    scale = (high - low) / LEVELS if high > low else 1.0
    data = bytes(min(LEVELS, max(0, round((v - low) / scale))) for v in values)
    return data, low, scale


def fits_uint8(values: Sequence[float], limit: float | None) -> bool:
    """Whether one uint8 step per tensor is within ``limit`` of the values'
    standard deviation (None: any step)."""
    if limit is None:
        return True
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    step = (max(values) - min(values)) / LEVELS
    return step <= limit * spread


def convert(
    model: dict[str, Any], weights: bytes, target_bin: str, step_limit: float | None = None
) -> tuple[dict[str, Any], bytes]:
    """The uint8 model's JSON and .bin from the float16 model's."""
    manifests = model.get("weightsManifest")
    if not isinstance(manifests, list) or len(manifests) != 1:
        raise ModelError("expected one weights manifest group")
    out_entries = []
    out = bytearray()
    at = 0
    for entry in manifests[0]["weights"]:
        size = _element_count(entry["shape"]) * _source_width(entry)
        chunk = weights[at : at + size]
        if len(chunk) != size:
            raise ModelError(f"{entry['name']}: the .bin ends early")
        at += size
        values = _floats(entry, chunk) if entry["dtype"] == "float32" else []
        if values and fits_uint8(values, step_limit):
            data, low, scale = quantize(values)
            out_entries.append(
                {
                    "name": entry["name"],
                    "shape": entry["shape"],
                    "dtype": "float32",
                    "quantization": {
                        "dtype": "uint8",
                        "min": low,
                        "scale": scale,
                        "original_dtype": "float32",
                    },
                }
            )
            out += data
        else:
            out_entries.append(dict(entry))
            out += chunk
    if at != len(weights):
        raise ModelError(f"the .bin has {len(weights) - at} bytes the manifest does not describe")
    converted = dict(model)
    converted["weightsManifest"] = [{"paths": [target_bin], "weights": out_entries}]
    converted["convertedBy"] = (
        f"{model.get('convertedBy', '')}; uint8 per tensor by tools/quantize_model.py".lstrip("; ")
    )
    return converted, bytes(out)


def write(
    models: Path = MODELS, step_limit: float | None = None, target: str = TARGET
) -> tuple[Path, Path]:
    source_json = models / f"{SOURCE}.json"
    model = json.loads(source_json.read_text(encoding="utf-8"))
    weights = (models / model["weightsManifest"][0]["paths"][0]).read_bytes()
    converted, data = convert(model, weights, f"{target}.bin", step_limit)
    target_json, target_bin = models / f"{target}.json", models / f"{target}.bin"
    target_bin.write_bytes(data)
    target_json.write_text(json.dumps(converted, separators=(",", ":")), encoding="utf-8")
    return target_json, target_bin


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=Path, default=MODELS, help="folder of the pinned model")
    parser.add_argument(
        "--step-limit", type=float, help="keep float16 where the step exceeds this share of std"
    )
    args = parser.parse_args(argv)
    try:
        target_json, target_bin = write(args.models, args.step_limit)
    except (OSError, ValueError, KeyError, ModelError) as error:
        print(f"quantize_model: {error}", file=sys.stderr)
        return 1
    print(f"wrote {target_json.name} and {target_bin.name} ({target_bin.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
