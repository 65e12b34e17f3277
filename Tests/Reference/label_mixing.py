#!/usr/bin/env python3
"""Regenerates Tests/Fixtures/label_mixing.json: the draws of the label-mixing test (docs/spec.md §6.3).

A fixed toy evaluation set and fixed CLS-row attention weights (with ties) stand in for a trained
model; stored are numpy's rankings (argsort(...)[::-1]) and the mixed pairs the authors' procedure
draws with `random.seed(0)` for two (layer, head) rounds of 25 pairs on one stream.
Usage:  python3 Tests/Reference/label_mixing.py Tests/Fixtures/label_mixing.json
"""
import json
import random
import sys

import numpy as np

samples, labels, weights = [], [], []
for i in range(40):
    label = (i * 7) % 4
    group = [label * 10 + 1 + (i * 3 + k * 7) % 10 for k in range(10)]
    samples.append(group + [0])
    labels.append(label)
    w = [round(((i + 1) * (k + 3) * 37 % 11) / 10, 1) for k in range(10)]  # many ties
    weights.append(w)
rankings = [list(map(int, np.argsort(np.array(w, dtype=np.float32))[::-1])) for w in weights]

random.seed(0)
rounds = []
for _ in range(2):
    by_label = {}
    for i, y in enumerate(labels):
        by_label.setdefault(y, []).append(i)
    keys = sorted(by_label)
    pairs = []
    for _ in range(25):
        la, lb = random.sample(keys, 2)
        sa = random.choice(by_label[la])
        sb = random.choice(by_label[lb])
        ca, cb = samples[sa][:-1], samples[sb][:-1]
        mixed_a = [ca[rankings[sa][0]]] + [cb[i] for i in rankings[sb][1:]]
        random.shuffle(mixed_a)
        mixed_a.append(0)
        mixed_b = [cb[rankings[sb][0]]] + [ca[i] for i in rankings[sa][1:]]
        random.shuffle(mixed_b)
        mixed_b.append(0)
        pairs.append(dict(la=la, lb=lb, a=mixed_a, b=mixed_b))
    rounds.append(pairs)
with open(sys.argv[1], "w") as f:
    json.dump(dict(samples=samples, labels=labels, weights=weights, rankings=rankings, rounds=rounds), f)
    f.write("\n")
