#!/usr/bin/env python3
"""Regenerates Tests/Fixtures/induction_dataset.json: the induction sequences of docs/spec.md §5.1.

InductionDataset as the authors' src/datasets.py draws it, from one `random` stream seeded with
random.seed(seed): 100 000 training sequences, then 1 000 evaluation sequences. Stored: the first
sequences in full and a checksum of all of them (h = (h·1000003 + token) mod 2⁶¹ − 1, tokens in order).
Usage:  python3 Tests/Reference/induction_dataset.py Tests/Fixtures/induction_dataset.json
"""
import json
import random
import sys


def make(num, vocab_size=50, seq_length=13, shift_query_token=True):
    available = list(range(1, vocab_size))
    data = []
    for _ in range(num):
        main = random.sample(available, seq_length - 3)
        r = random.randint(0, seq_length - 4)
        query = main[r] + (vocab_size if shift_query_token else 0)
        cont = (main + [query])[r + 1]
        data.append([0] + main + [query, cont])
    return data


def checksum(data):
    h = 0
    for seq in data:
        for t in seq:
            h = (h * 1000003 + t) % (2**61 - 1)
    return h


cases = []
for seed, shift in [(0, True), (3, False)]:
    random.seed(seed)
    train = make(100_000, shift_query_token=shift)
    evaluation = make(1_000, shift_query_token=shift)
    cases.append(dict(seed=seed, shift=shift, train_head=train[:30], eval_head=evaluation[:10],
                      train_checksum=str(checksum(train)), eval_checksum=str(checksum(evaluation))))
with open(sys.argv[1], "w") as f:
    json.dump(dict(python=sys.version.split()[0], cases=cases), f)
    f.write("\n")
