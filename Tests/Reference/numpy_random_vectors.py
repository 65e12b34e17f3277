#!/usr/bin/env python3
"""Regenerates Tests/Fixtures/numpy_random_vectors.json: draws of NumPy's legacy RandomState.

The Swift `NumPyRandomState` must reproduce every value bit for bit.
Usage:  python3 Tests/Reference/numpy_random_vectors.py Tests/Fixtures/numpy_random_vectors.json
"""
import json
import sys

import numpy as np

COUNT = 10_000
cases = []
for seed in [0, 42, 123, 1729, 2**32 - 1]:
    rs = np.random.RandomState(seed)
    cases.append(dict(seed=seed, kind="randn", values=rs.standard_normal(COUNT).tolist()))
rs = np.random.RandomState(123)
cases.append(dict(seed=123, kind="random_sample", values=rs.random_sample(COUNT).tolist()))
rs = np.random.RandomState(2024)
cases.append(dict(seed=2024, kind="uint32", values=[int(v) for v in rs.randint(0, 2**32, size=1000, dtype=np.uint64)]))
# Interleaved draws: an odd number of normals leaves a cached value that the next randn returns.
rs = np.random.RandomState(7)
mixed = []
for kind, n in [("randn", 3), ("random_sample", 2), ("randn", 5), ("random_sample", 1), ("randn", 1)]:
    vals = rs.standard_normal(n) if kind == "randn" else rs.random_sample(n)
    mixed += [dict(kind=kind, value=float(v)) for v in vals]
cases.append(dict(seed=7, kind="interleaved", values=mixed))
with open(sys.argv[1], "w") as f:
    json.dump(dict(numpy=np.__version__, cases=cases), f)
    f.write("\n")
