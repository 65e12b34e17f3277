#!/usr/bin/env python3
"""Independent NumPy replay of the five value-softmax experiments (docs/spec.md §3).

Writes the reference values that the Swift results are checked against:
  * the initial states (must equal the Swift ones bit for bit),
  * every summary scalar of the Swift result files (same names),
  * a few history samples, to measure how far long runs drift apart by rounding.

It follows the specification (float64, simultaneous gradient-descent updates,
the draw orders of §8.1 and the recording conventions of §11.1), written with
plain NumPy so that it shares no code with the Swift implementation.

Usage:  python3 Tests/Reference/numpy_replay.py SCALE OUT.json     (SCALE: smoke | paper)
The paper scale takes about 12 minutes on a 2-core machine (E5 alone ~9).
"""
import json
import sys
import time

import numpy as np

SCALES = {
    "smoke": dict(logistic=10_000, square=500, logistic_norm=2_000, tied=500, conditioning=3_000, kl=10_000),
    "paper": dict(logistic=1_000_000, square=5_000, logistic_norm=100_000, tied=10_000, conditioning=300_000, kl=10_000_000),
}


def softmax(x):
    e = np.exp(x - np.max(x))
    return e / e.sum()


def expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def schedule_a(n, samples):
    idx = np.unique(np.logspace(0, np.log10(n), num=samples).astype(int)) - 1
    idx = set(int(i) for i in idx if 0 <= i < n)
    idx |= {0, n - 1}
    return sorted(idx)


def schedule_b(n, samples):
    idx = np.unique(np.logspace(0, np.log10(n - 1), samples).astype(int))
    return sorted(set(int(i) for i in np.insert(idx, 0, 0)))


def probe(indices, n):
    """A handful of recorded indices spread over the run, for drift measurements."""
    want = [0, 1, 10, 100, 1000, 10_000, 100_000, 1_000_000, n - 1]
    return [i for i in indices if i in set(want)]


def logistic_loss(score):
    # The branch-stable form of E2/E3.
    return np.log(1 + np.exp(-score)) if score > 0 else -score + np.log(1 + np.exp(score))


# ---------------------------------------------------------------- E1
def e1_logistic(n):
    np.random.seed(123)
    W = 0.1 * np.random.randn(8, 8)
    a = 0 * np.random.randn(8)
    beta = np.random.randn(8)
    beta = beta / np.linalg.norm(beta)
    init = dict(W=W.copy(), a=a.copy(), beta=beta.copy())

    def loss(W, a):
        return np.logaddexp(0, -np.dot(beta, W @ softmax(a)))

    initial_loss = loss(W, a)
    records = schedule_a(n, 2000)
    keep, samples = set(probe(records, n)), {}
    recorded = set(records)
    lr = 0.1
    for i in range(n):
        s = softmax(a)
        z = np.dot(beta, W @ s)
        g = expit(-z)
        gW = -g * np.outer(beta, s)
        v = -g * (W.T @ beta)
        ga = s * v - s * np.dot(s, v)
        W -= lr * gW
        a -= lr * ga
        if i in recorded and i in keep:
            samples[str(i)] = dict(loss=loss(W, a), a=a.copy(), u=W.T @ beta,
                                   grad_W_norm=np.linalg.norm(gW), grad_a_norm=np.linalg.norm(ga))
    sigma = softmax(a)
    p = W @ sigma
    summary = dict(initial_loss=initial_loss, final_loss=loss(W, a), final_sigma=sigma, final_u=W.T @ beta,
                   argmax_sigma=int(np.argmax(sigma)),
                   final_alignment=np.dot(beta, p) / (np.linalg.norm(p) + 1e-8))
    return dict(initial=init, summary=summary, samples=samples)


# ---------------------------------------------------------------- E2
def normalize(name, a):
    """Returns (alpha, vjp) with vjp(g) = d loss / d a given g = d loss / d alpha."""
    if name == "l1":
        norm = np.sum(np.abs(a)) + 1e-10
        alpha = np.abs(a) / norm
        return alpha, lambda g: (g - np.sum(g * alpha)) * (np.sign(a) / norm)
    if name == "sum":
        norm = np.sum(a) + 1e-10
        alpha = a / norm
        return alpha, lambda g: (g - np.sum(g * alpha)) / norm
    if name == "l2":
        norm = np.sum(a ** 2) + 1e-10
        alpha = a ** 2 / norm
        return alpha, lambda g: (2 * a / norm) * (g - np.sum(g * alpha))
    if name == "softmax":
        alpha = softmax(a)
        return alpha, lambda g: alpha * (g - np.sum(g * alpha))
    if name == "relu":
        norm = np.sum(np.maximum(0, a)) + 1e-10
        alpha = np.maximum(0, a) / norm
        return alpha, lambda g: (g - np.sum(g * alpha)) * (a > 0) / norm
    if name == "sigmoid":
        alpha = expit(a)
        return alpha, lambda g: expit(a) * (1 - expit(a)) * g
    raise ValueError(name)


NORMALIZATIONS = ["l1", "sum", "l2", "softmax", "relu", "sigmoid"]


def e2_normalization(loss_kind, n, lr):
    np.random.seed(42)
    beta = np.random.randn(10)
    beta /= np.linalg.norm(beta)
    out = {}
    for name in NORMALIZATIONS:
        np.random.seed(42)
        V = 0.1 * np.random.randn(10, 10)
        a = 1.0 * (np.ones(10) + np.random.randn(10) * 0.1)
        init = dict(V=V.copy(), a=a.copy(), beta=beta.copy())
        losses, samples = [], {}
        keep = set(probe(range(n), n))
        for i in range(n):
            alpha, vjp = normalize(name, a)
            if loss_kind == "square":
                r = V @ alpha - beta
                loss = 0.5 * np.sum(r ** 2)
                gV = np.outer(r, alpha)
                ga = vjp(V.T @ r)
            else:
                score = np.dot(beta, V @ alpha)
                loss = logistic_loss(score)
                gs = -(1 - expit(score))
                gV = gs * np.outer(beta, alpha)
                ga = vjp(gs * (beta @ V))
            V -= lr * gV
            a -= lr * ga
            losses.append(loss)
            if i in keep:
                samples[str(i)] = dict(loss=loss, alpha=alpha.copy(), a=a.copy())
        out[name] = dict(initial=init, samples=samples,
                         summary=dict(initial_loss=losses[0], final_loss=losses[-1], final_alpha=alpha, final_a=a))
    return out


# ---------------------------------------------------------------- E3
def e3_tied(n):
    out = {}
    lr = 0.05
    for D in [10, 20, 50, 100]:
        np.random.seed(42)
        beta = np.random.randn(D)
        beta /= np.linalg.norm(beta)
        np.random.seed(42)
        np.random.randn(D, D)  # the solver's unused V
        a = np.ones(D) + np.random.randn(D) * 0.1
        U = np.eye(D)
        init = dict(a=a.copy(), beta=beta.copy())
        losses, norms, samples = [], [], {}
        keep = set(probe(range(n), n))
        for i in range(n):
            z = U @ a
            alpha = softmax(z)
            score = np.dot(beta, U @ alpha)
            loss = logistic_loss(score)
            gs = -(1 - expit(score))
            gb = gs * beta
            g_alpha = U.T @ gb
            gz = alpha * (g_alpha - np.sum(g_alpha * alpha))
            gU = np.outer(gb, alpha) + np.outer(gz, a)
            ga = U.T @ gz
            U -= lr * gU
            a -= lr * ga
            m = int(np.argmax(alpha))
            losses.append(loss)
            norms.append(np.linalg.norm(U[:, m]))
            if i in keep:
                samples[str(i)] = dict(loss=loss, alpha=alpha.copy(), a=a.copy(), column_norm=norms[-1])
        out[str(D)] = dict(initial=init, samples=samples, summary=dict(
            initial_loss=losses[0], final_loss=losses[-1], initial_column_norm=norms[0],
            final_column_norm=norms[-1], final_alpha_max=float(np.max(alpha)), final_alpha_argmax=int(np.argmax(alpha))))
    return out


# ---------------------------------------------------------------- E4
def e4_conditioning(n):
    out = {}
    lr = 0.001
    records = schedule_b(n, 3000)
    recorded = set(records)
    keep = set(probe(records, n))
    for kappa in [1, 2, 3, 4, 5]:
        np.random.seed(123)
        W = 1e-5 * np.random.randn(20, 20)
        a = 1e-3 * np.random.randn(20)
        X_raw = np.random.randn(20, 20)
        U, S, Vt = np.linalg.svd(X_raw, full_matrices=False)
        X = U @ np.diag(np.linspace(1, 1 / kappa, 20)) @ Vt
        beta = np.random.randn(20)
        init = dict(W=W.copy(), a=a.copy(), X_raw=X_raw.copy(), X=X.copy(), beta=beta.copy())

        def loss(W, a):
            return np.sum((beta - X @ (W @ softmax(a))) ** 2)

        initial_loss = loss(W, a)
        samples = {}
        for i in range(n):
            s = softmax(a)
            xr = X.T @ (beta - X @ (W @ s))
            gW = -2 * np.outer(xr, s)
            v = -2 * W.T @ xr
            ga = s * v - s * np.dot(s, v)
            W -= lr * gW
            a -= lr * ga
            if i in keep:
                samples[str(i)] = dict(loss=loss(W, a), a=a.copy(), grad_W_norm=np.linalg.norm(gW),
                                       grad_a_norm=np.linalg.norm(ga),
                                       w_sigma_max=np.linalg.svd(W, compute_uv=False)[0])
        out[str(kappa)] = dict(initial=init, samples=samples, summary=dict(
            initial_loss=initial_loss, final_loss=loss(W, a),
            final_sigma_max=np.linalg.svd(W, compute_uv=False)[0], final_a=a))
    return out


# ---------------------------------------------------------------- E5
def e5_kl(n):
    np.random.seed(123)
    V = 0.1 * np.random.randn(10, 10)
    a = 0 * np.random.randn(10)
    p = softmax(10 * np.random.rand(10))
    init = dict(V=V.copy(), a=a.copy(), p_star=p.copy())

    def loss(V, a):
        return -np.sum(p * np.log(softmax(V.T @ softmax(a)) + 1e-15))

    initial_loss = loss(V, a)
    records = schedule_b(n, 1000)
    keep = set(probe(records, n))
    samples = {}
    lr = 0.1
    for i in range(n):
        s = softmax(a)
        delta = softmax(V.T @ s) - p
        gV = np.outer(s, delta)
        g = V @ delta
        ga = s * g - s * np.dot(s, g)
        V -= lr * gV
        a -= lr * ga
        if i in keep:
            samples[str(i)] = dict(loss=loss(V, a), a=a.copy(), grad_V_norm=np.linalg.norm(gV),
                                   grad_a_norm=np.linalg.norm(ga))
    summary = dict(initial_loss=initial_loss, final_loss=loss(V, a), entropy_target=-np.sum(p * np.log(p)),
                   final_a=a, final_sigma_max=float(np.max(softmax(a))))
    return dict(initial=init, summary=summary, samples=samples)


def plain(x):
    """JSON-ready copy; floats keep their exact value (repr round-trips)."""
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, np.ndarray):
        return [plain(v) for v in x.tolist()]
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, (np.floating, float)):
        return float(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    return x


def main():
    scale, path = sys.argv[1], sys.argv[2]
    n = SCALES[scale]
    runs = [
        ("logistic", lambda: e1_logistic(n["logistic"])),
        ("normalization-square", lambda: e2_normalization("square", n["square"], 0.1)),
        ("normalization-logistic", lambda: e2_normalization("logistic", n["logistic_norm"], 0.5)),
        ("tied", lambda: e3_tied(n["tied"])),
        ("conditioning", lambda: e4_conditioning(n["conditioning"])),
        ("kl", lambda: e5_kl(n["kl"])),
    ]
    out = dict(numpy=np.__version__, scale=scale, experiments={})
    for name, fn in runs:
        t = time.time()
        out["experiments"][name] = plain(fn())
        print(f"{name}: {time.time() - t:.1f} s", flush=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
