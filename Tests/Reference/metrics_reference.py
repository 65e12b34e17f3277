#!/usr/bin/env python3
"""Regenerates Tests/Fixtures/metric_reference.json: the metrics the figures draw, computed with
NumPy from the attention maps in Tests/Fixtures/metric_inputs.json, written from the
specification (docs/spec.md), not from the Swift code:

  §5.3  per (layer, head), over rows R = 1..9 of each 12x12 map, averaged over the sequences:
        abs_attn_bos = mean_R A[r,0]; abs_attn_all = mean_R sum_j A[r,j];
        rel_attn_bos = mean_R A[r,0] / (sum_j A[r,j] + 1e-9);
        rel_attn_bos_global = sum_R A[r,0] / (sum_R sum_j A[r,j] + 1e-9)
  §6.3  per head, c = the CLS (last) row incl. CLS->CLS, averaged over the samples:
        abs_attn_max = max c; abs_attn_sum = sum c; rel_attn_max = max c / sum c (no epsilon)
  §7    per (layer, head), over every query of every sequence: sparsity = mean max_k A[q,k];
        first_token_share = mean A[q,0] / (sum_k A[q,k] + 1e-9)
  §5.5  sink share of a run = #{layer-1 heads > 0.9} / #{heads that are not NaN}
  §6.5  sparsity score = mean over heads of clip(rel_attn_max, 0, 1), NaN skipped (NaN if none)

Usage:  python3 Tests/Reference/metrics_reference.py Tests/Fixtures/metric_inputs.json Tests/Fixtures/metric_reference.json
"""
import json
import sys

import numpy as np

inputs = json.load(open(sys.argv[1]))


def maps(model, layer):
    m = inputs[model]
    a = np.array(m["maps"][layer], dtype=np.float32).astype(np.float64)
    return a.reshape(m["sequences"], m["heads"], m["length"], m["length"])


out = {}
for model in ["induction_softmax", "induction_sigmoid_unnorm"]:
    layers = len(inputs[model]["maps"])
    result = {k: [] for k in ["abs_attn_bos", "abs_attn_all", "rel_attn_bos", "rel_attn_bos_global", "sparsity", "first_token_share"]}
    for layer in range(layers):
        a = maps(model, layer)                      # [sequence, head, query, key]
        rows = a[:, :, 1:-2, :]                     # R = 1..9 (the slice 1:-2 of 12 rows)
        first = rows[..., 0]                        # [sequence, head, r]
        total = rows.sum(axis=-1)
        result["abs_attn_bos"].append(first.mean(axis=2).mean(axis=0).tolist())
        result["abs_attn_all"].append(total.mean(axis=2).mean(axis=0).tolist())
        result["rel_attn_bos"].append((first / (total + 1e-9)).mean(axis=2).mean(axis=0).tolist())
        result["rel_attn_bos_global"].append((first.sum(axis=2) / (total.sum(axis=2) + 1e-9)).mean(axis=0).tolist())
        result["sparsity"].append(a.max(axis=-1).mean(axis=(0, 2)).tolist())
        result["first_token_share"].append((a[..., 0] / (a.sum(axis=-1) + 1e-9)).mean(axis=(0, 2)).tolist())
    out[model] = result

a = maps("classification_linear_unnorm", 0)
cls = a[:, :, -1, :]                                # [sample, head, key]
top, total = cls.max(axis=-1), cls.sum(axis=-1)
out["classification_linear_unnorm"] = {
    "abs_attn_max": top.mean(axis=0).tolist(),
    "abs_attn_sum": total.mean(axis=0).tolist(),
    "rel_attn_max": (top / total).mean(axis=0).tolist(),
}

shares = []
for heads in inputs["sink_heads"]:
    h = np.array([np.nan if x is None else x for x in heads], dtype=np.float64)
    present = h[~np.isnan(h)]
    shares.append(float((present > 0.9).sum() / len(present)))
out["sink_share"] = shares

scores = []
for table in inputs["rel_attn_max"]:
    t = np.array(table, dtype=np.float64).ravel()
    kept = np.clip(t[~np.isnan(t)], 0, 1)
    scores.append(float(kept.mean()) if len(kept) else float("nan"))
out["sparsity_score"] = scores

json.dump(out, open(sys.argv[2], "w"), indent=1)
print("written", sys.argv[2])
