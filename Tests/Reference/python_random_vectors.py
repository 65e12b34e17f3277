#!/usr/bin/env python3
"""Regenerates Tests/Fixtures/python_random_vectors.json: draws of CPython's `random` module.

The Swift `PythonRandom` must reproduce every value exactly.
Usage:  python3 Tests/Reference/python_random_vectors.py Tests/Fixtures/python_random_vectors.json
"""
import json
import random
import sys

cases = []
for seed in [0, 1, 42, 2**32 + 5, 12345678901234]:
    r = random.Random(seed)
    case = dict(seed=seed)
    case["getrandbits32"] = [r.getrandbits(32) for _ in range(20)]
    case["getrandbits_mixed"] = [str(r.getrandbits(k)) for k in [1, 5, 31, 33, 47, 64, 0, 7]]  # strings: 64-bit
    case["randbelow"] = [r._randbelow(n) for n in [1, 2, 3, 10, 49, 100, 1000, 2**31 + 1, 10**12] * 3]
    case["random"] = [r.random() for _ in range(10)]
    case["sample_pool"] = [r.sample(list(range(1, 50)), 10) for _ in range(5)]
    case["sample_set"] = r.sample(range(10000), 1000)
    case["randint"] = [r.randint(0, 9) for _ in range(30)]
    case["choice"] = [r.choice([3, 1, 4, 1, 5, 9, 2, 6]) for _ in range(20)]
    items = list(range(10))
    r.shuffle(items)
    case["shuffle"] = items
    case["sample_labels"] = [r.sample([0, 1, 2, 3], 2) for _ in range(10)]
    cases.append(case)
with open(sys.argv[1], "w") as f:
    json.dump(dict(python=sys.version.split()[0], cases=cases), f)
    f.write("\n")
