#!/usr/bin/env python3
"""Give the golden files of the transformer experiments their tolerances (after a first `bless`).

Float32 training is bit-reproducible on the reference machine (same binary, any thread count);
the slack allows another libm or compiler to round a few operations differently. Integers stay
exact. Usage: set_transformer_tolerances.py golden/<scale>/<experiment>.json ...
"""
import json
import sys

WHY = ("float32 training, bit-identical on the reference machine for any thread count; "
       "rtol 1e-5 / atol 1e-6 leaves room for another libm or compiler")

for path in sys.argv[1:]:
    with open(path) as f:
        golden = json.load(f)
    for q in golden["quantities"]:
        if q["tolerance"]["kind"] == "exact":
            continue
        q["tolerance"] = {"kind": "close", "rtol": 1e-5, "atol": 1e-6}
        q["why"] = WHY
    with open(path, "w") as f:
        json.dump(golden, f, indent=2)
        f.write("\n")
