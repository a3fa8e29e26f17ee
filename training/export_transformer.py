"""Export a trained transformer recogniser to what ``kg`` ships: ONNX with int8 weights.

    python training/export_transformer.py /tmp/kg_tner_soup -o kg/data/models/kg_tner

Reads the torch weights ``training/train_transformer.py`` wrote (``weights.safetensors`` and
``config.json``), exports the encoder and heads as one ONNX graph (opset 17), quantizes its
matrices and embedding tables to int8 (ONNX Runtime's dynamic quantization: about 23 MB
instead of 90), and writes ``model.onnx``, the base model's ``tokenizer.json`` and a
``config.json`` (heads, O biases, context, the training record) into the output folder. Then
it compares the shipped model with torch on the SciERC dev sentences and prints both dev F1s.
Needs ``pip install -e '.[train]'``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import tagger as torch_tagger
from train_transformer import MICRO, dev_f1, load_data

from kg.extract import transformer


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("weights", help="folder with the torch weights.safetensors and config.json")
    parser.add_argument("-o", "--out", default=str(Path(transformer.shipped_dir())))
    args = parser.parse_args(argv)
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model, tokenizer = torch_tagger.load_tagger(args.weights)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        full = Path(scratch) / "float32.onnx"
        torch_tagger.export_onnx(model, tokenizer, full)
        quantize_dynamic(str(full), str(out / transformer.MODEL_FILE), weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul", "Gather"], per_channel=True)
    shutil.copyfile(torch_tagger.base_model_dir() / "tokenizer.json", out / transformer.TOKENIZER_FILE)
    config = json.loads((Path(args.weights) / "config.json").read_text())
    config.update(exported="python training/export_transformer.py " + " ".join(sys.argv[1:] if argv is None else argv),
                  base=torch_tagger.BASE, quantized="int8 per channel (onnxruntime quantize_dynamic: MatMul, Gather)")
    (out / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    size = (out / transformer.MODEL_FILE).stat().st_size / 1e6
    print(f"wrote {out / transformer.MODEL_FILE} ({size:.1f} MB)")

    shipped = transformer.load_tagger(out)
    dev = load_data(config.get("context", 0))["abstracts"][1]
    rows, centers = [w for w, _, _ in dev], [c for _, _, c in dev]
    labels, bias = transformer.HEADS["abstracts"], config.get("o_bias", {}).get("abstracts", 0.0)
    for name, scores in (("torch", _batched(lambda r, c: torch_tagger.center_scores(model, tokenizer, r, c), rows, centers)),
                         ("onnx int8", _batched(lambda r, c: transformer.center_scores(shipped, r, c), rows, centers))):
        print(f"SciERC dev micro F1 ({name}): {dev_f1(scores, dev, labels, MICRO['abstracts'], bias):.1f}")
    return 0


def _batched(score, rows, centers, size: int = 16) -> list:
    found = []
    for i in range(0, len(rows), size):
        found += score(rows[i:i + size], centers[i:i + size])["abstracts"]
    return found


if __name__ == "__main__":
    sys.exit(main())
