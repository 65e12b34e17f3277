"""An independent PyTorch implementation of the paper's TransformerLM (docs/spec.md §4), used twice:

  python torch_transformer.py reference OUT.json   tiny models, one forward + backward + AdamW step per
                                                    attention kind, in float32 (the fixture of
                                                    Tests/TransformerTests/TorchReferenceTests.swift)
  python torch_transformer.py trajectory OUT.json long trajectories: for every attention kind a small
                                                    induction-like model (200 AdamW steps) and a small
                                                    classification-like model (400 steps), plus one run
                                                    with weight decay 0.5; losses every step, parameter
                                                    checksums every 50 steps (the fixture of
                                                    Tests/TransformerTests/TorchTrajectoryTests.swift)
  python torch_transformer.py bench [--threads N] [--steps S]
                                                    median ms per training step of the two base configs

Needs torch (CPU); install it in a throwaway virtualenv, it is not a project dependency.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def attention(kind, q, k, v, mlp, mask):
    hd = q.shape[-1]
    if kind == "softmax":
        s = q @ k.transpose(-2, -1) / math.sqrt(hd)
        if mask is not None:
            s = s.masked_fill(~mask, float("-inf"))
        a = torch.softmax(s, dim=-1)
        return a @ v, a
    base = kind.replace("_unnorm", "").replace("_norm", "")
    if kind == "uniform":
        a = torch.ones(q.shape[:-1] + (k.shape[-2],))
    elif base == "sigmoid":
        a = torch.sigmoid(q @ k.transpose(-2, -1) / math.sqrt(hd))
    elif base == "linear":
        a = (F.elu(q) + 1) @ (F.elu(k) + 1).transpose(-2, -1)
    elif base == "coupled_linear":
        a = F.elu(q @ k.transpose(-2, -1) / math.sqrt(hd)) + 1
    elif base == "raw_dotproduct":
        a = q @ k.transpose(-2, -1) / math.sqrt(hd)
    elif base == "mlp":
        a = mlp(q) @ mlp(k).transpose(-2, -1) / math.sqrt(hd)
    if mask is not None:
        a = a.masked_fill(~mask, 0.0)
    normalized = kind in ("uniform", "linear") or kind.endswith("_norm")
    if normalized:
        if base in ("raw_dotproduct", "mlp"):
            a = a / torch.clamp(a.sum(-1, keepdim=True).abs(), min=1.0)
        else:
            a = a / (a.sum(-1, keepdim=True) + 1e-9)
    return a @ v, a


class Block(nn.Module):
    def __init__(self, d, heads, use_mlp, use_ln, kind):
        super().__init__()
        self.heads, self.kind, self.use_mlp, self.use_ln = heads, kind, use_mlp, use_ln
        self.q_proj, self.k_proj, self.v_proj, self.o_proj = (nn.Linear(d, d) for _ in range(4))
        if use_ln:
            self.norm1 = nn.LayerNorm(d)
            if use_mlp:
                self.norm2 = nn.LayerNorm(d)
        if use_mlp:
            self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        hd = d // heads
        self.attn_mlp = nn.Sequential(nn.Linear(hd, 4 * hd), nn.GELU(), nn.Linear(4 * hd, hd)) if kind.startswith("mlp") else None

    def forward(self, x, mask):
        b, t, d = x.shape
        h = self.norm1(x) if self.use_ln else x
        split = lambda y: y.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        out, a = attention(self.kind, split(self.q_proj(h)), split(self.k_proj(h)), split(self.v_proj(h)), self.attn_mlp, mask)
        x = self.o_proj(out.transpose(1, 2).reshape(b, t, d)) + x
        if self.use_mlp:
            x = self.mlp(self.norm2(x) if self.use_ln else x) + x
        return x, a


class TransformerLM(nn.Module):
    def __init__(self, vocab, outputs, d, layers, heads, use_mlp, use_ln, causal, kind, positional, max_len=512):
        super().__init__()
        self.positional, self.causal = positional, causal
        e = d // 2 if positional == "concat" else d
        if positional in ("concat", "add"):
            self.pos_embedding = nn.Embedding(max_len, e)
        self.embedding = nn.Embedding(vocab, e)
        self.layers = nn.ModuleList(Block(d, heads, use_mlp, use_ln, kind) for _ in range(layers))
        self.final_norm = nn.LayerNorm(d) if use_ln else nn.Identity()
        self.output_proj = nn.Linear(d, outputs)

    def forward(self, tokens):
        b, t = tokens.shape
        x = self.embedding(tokens)
        if self.positional != "no":
            p = self.pos_embedding(torch.arange(t)).unsqueeze(0).expand(b, t, -1)
            x = torch.cat([x, p], -1) if self.positional == "concat" else x + p
        mask = torch.tril(torch.ones(t, t, dtype=torch.bool)).view(1, 1, t, t) if self.causal else None
        maps = []
        for block in self.layers:
            x, a = block(x, mask)
            maps.append(a)
        return self.output_proj(self.final_norm(x)), maps


def weighted_loss(logits, targets, weights):
    ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none").view(targets.shape)
    return (ce * weights.view(1, -1)).sum()


KINDS = ["softmax", "uniform", "sigmoid_norm", "sigmoid_unnorm", "linear", "linear_unnorm", "coupled_linear_norm",
         "coupled_linear_unnorm", "raw_dotproduct_norm", "raw_dotproduct_unnorm", "mlp_norm", "mlp_unnorm"]


def reference(path):
    cases = []
    for i, kind in enumerate(KINDS):
        cfg = dict(vocab=9, outputs=5, d=8, layers=2, heads=2, use_mlp=i % 3 != 2, use_ln=i % 4 != 3,
                   causal=i % 2 == 0, kind=kind, positional=["concat", "add", "no"][i % 3], max_len=6)
        torch.manual_seed(1000 + i)
        model = TransformerLM(**cfg)
        with torch.no_grad():  # spread the biases and LayerNorm affines so every term matters
            for name, p in model.named_parameters():
                if "norm" in name:
                    p.add_(0.1 * torch.randn_like(p))
        batch, length = 3, 6
        tokens = torch.randint(0, cfg["vocab"], (batch, length))
        targets = torch.randint(0, cfg["outputs"], (batch, length))
        weights = torch.rand(length) / batch
        before = {n: p.detach().clone() for n, p in model.named_parameters()}
        logits, maps = model(tokens)
        loss = weighted_loss(logits, targets, weights)
        loss.backward()
        grads = {n: (p.grad if p.grad is not None else torch.zeros_like(p)).detach().clone()
                 for n, p in model.named_parameters()}
        opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
        opt.step()
        flat = lambda t: [float(f"{x:.9g}") for x in t.reshape(-1).tolist()]  # float32 round-trips in 9 digits
        cases.append(dict(
            config=cfg, batch=batch, length=length, tokens=flat(tokens), targets=flat(targets),
            position_weights=flat(weights), learning_rate=1e-2,
            parameters=[dict(name=n, shape=list(p.shape), values=flat(p)) for n, p in before.items()],
            logits=flat(logits.detach()), loss=loss.item(), attention=[flat(a.detach()) for a in maps],
            gradients={n: flat(g) for n, g in grads.items()},
            after_step={n: flat(p) for n, p in model.named_parameters()}))
    with open(path, "w") as f:
        json.dump(dict(torch_version=torch.__version__, dtype="float32", cases=cases), f)


def trajectory_batch(task, step, batch, length, vocab, outputs):
    """The batch of `step`: integer formulas that the Swift test computes the same way."""
    tokens = [[(b * 7919 + t * 104729 + step * 15485863) % (vocab - 1) + 1 for t in range(length)] for b in range(batch)]
    if task == "classification":
        targets = [[(b * 3 + step) % outputs if t == length - 1 else 0 for t in range(length)] for b in range(batch)]
    else:
        targets = [[(b * 6007 + t * 31 + step * 104723) % outputs for t in range(length)] for b in range(batch)]
    return torch.tensor(tokens), torch.tensor(targets)


def trajectory(path):
    runs = []
    tasks = [
        ("induction", dict(vocab=20, outputs=20, d=16, layers=2, heads=2, use_mlp=True, use_ln=True, causal=True,
                           positional="concat", max_len=12), 8, 12, 200, [0.2 / (8 * 11)] * 11 + [1 / 8]),
        ("classification", dict(vocab=41, outputs=4, d=16, layers=1, heads=2, use_mlp=True, use_ln=True, causal=False,
                                positional="no", max_len=11), 8, 11, 400, [0.0] * 10 + [1 / 8]),
    ]
    plan = [(task, kind, 0.01) for task in tasks for kind in KINDS] + [(tasks[0], "softmax", 0.5)]
    for i, ((task, cfg, batch, length, steps, weights), kind, decay) in enumerate(plan):
        torch.manual_seed(3000 + i)
        model = TransformerLM(**cfg, kind=kind)
        flat = lambda t: [float(f"{x:.9g}") for x in t.reshape(-1).tolist()]
        initial = [dict(name=n, shape=list(p.shape), values=flat(p.detach())) for n, p in model.named_parameters()]
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=decay)
        w = torch.tensor(weights)
        losses, checksums = [], []
        for step in range(steps):
            tokens, targets = trajectory_batch(task, step, batch, length, cfg["vocab"], cfg["outputs"])
            opt.zero_grad()
            logits, _ = model(tokens)
            loss = weighted_loss(logits, targets, w)
            loss.backward()
            opt.step()
            losses.append(loss.item())
            if (step + 1) % 50 == 0:
                with torch.no_grad():
                    ps = [p.double() for p in model.parameters()]
                    checksums.append(dict(step=step + 1, sum=sum(p.sum().item() for p in ps),
                                          sum_of_squares=sum((p * p).sum().item() for p in ps)))
        runs.append(dict(task=task, config=dict(cfg, kind=kind), batch=batch, length=length, steps=steps,
                         position_weights=weights, learning_rate=1e-3, weight_decay=decay,
                         parameters=initial, losses=losses, checksums=checksums))
        print(task, kind, decay, f"loss {losses[0]:.4f} -> {losses[-1]:.4f}", file=sys.stderr)
    with open(path, "w") as f:
        json.dump(dict(torch_version=torch.__version__, dtype="float32", runs=runs), f)


def bench(threads, steps=20):
    torch.set_num_threads(threads)
    for name, cfg, batch, length in [
        ("induction", dict(vocab=100, outputs=100, d=128, layers=2, heads=4, use_mlp=True, use_ln=True, causal=True,
                           kind="softmax", positional="concat"), 256, 12),
        ("classification", dict(vocab=41, outputs=4, d=128, layers=2, heads=4, use_mlp=True, use_ln=True, causal=False,
                                kind="softmax", positional="no"), 256, 11)]:
        torch.manual_seed(0)
        model = TransformerLM(**cfg)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
        tokens = torch.randint(0, cfg["vocab"], (batch, length))
        targets = torch.randint(0, cfg["outputs"], (batch, length))
        if name == "induction":
            weights = torch.tensor([0.2 / (batch * 11)] * 11 + [1 / batch])
        else:
            weights = torch.tensor([0.0] * 10 + [1 / batch])
        times = []
        for step in range(steps + 2):
            start = time.perf_counter()
            opt.zero_grad()
            logits, _ = model(tokens)
            weighted_loss(logits, targets, weights).backward()
            opt.step()
            if step >= 2:
                times.append((time.perf_counter() - start) * 1e3)
        times.sort()
        print(f"torch {torch.__version__} {name:15s} threads {threads}  {times[len(times) // 2]:8.2f} ms/step")


if __name__ == "__main__":
    if sys.argv[1] == "reference":
        reference(sys.argv[2])
    elif sys.argv[1] == "trajectory":
        trajectory(sys.argv[2])
    else:
        args = dict(zip(sys.argv[2::2], sys.argv[3::2]))
        bench(int(args.get("--threads", torch.get_num_threads())), int(args.get("--steps", 20)))
