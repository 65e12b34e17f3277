"""Fits the Float32 erf kernel of Sources/SIMDCore/VectorMath.swift (provenance; run once).

erf(x) = x·P(x²) for |x| < 0.875, and 1 − exp(Q(|x|)) for 0.875 ≤ |x| < 4 (erfc(4) < 2⁻²⁵, so
erf rounds to ±1 beyond). P and Q are weighted least-squares fits on Chebyshev nodes, then
evaluated as the Swift code does (Float32 Horner with FMA) to report the worst error in ulps.
"""
import math
import numpy as np

def cheb_nodes(a, b, n):
    k = np.arange(n)
    return (a + b) / 2 + (b - a) / 2 * np.cos((2 * k + 1) * np.pi / (2 * n))

def fit(x, y, deg, weight):
    v = np.vander(x, deg + 1, increasing=True) * weight[:, None]
    c, *_ = np.linalg.lstsq(v, y * weight, rcond=None)
    return c

def horner32(c, x):
    r = np.float32(c[-1])
    for a in c[-2::-1]:
        r = np.float32(np.float64(r) * np.float64(x) + np.float64(np.float32(a)))  # fma: one rounding
    return r

split, top = 0.875, 4.0
x1 = cheb_nodes(1e-4, split, 4000)
p = fit(x1 * x1, np.array([math.erf(t) / t for t in x1]), 6, np.ones_like(x1))
x2 = cheb_nodes(split, top, 4000)
q = fit(x2, np.array([math.log(math.erfc(t)) for t in x2]), 10, np.array([math.erfc(t) for t in x2]))
print("P =", [float(np.float32(c)) for c in p])
print("Q =", [float(np.float32(c)) for c in q])

worst = 0
for t in np.linspace(0, 4.2, 200001, dtype=np.float32):
    exact = math.erf(float(t))
    if t < split:
        s = np.float32(t * t)
        got = np.float32(np.float64(t) * np.float64(horner32(p, s)))
    elif t < top:
        got = np.float32(1 - np.float32(math.exp(float(horner32(q, t)))))
    else:
        got = np.float32(1)
    ulp = np.spacing(np.float32(exact)) if exact != 0 else np.float32(1e-45)
    worst = max(worst, abs(float(got) - exact) / float(ulp))
print("worst error (ulp, with a correctly rounded exp):", worst)
