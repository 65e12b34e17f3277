"""The layout matplotlib 3.10.8 gives our figures: the reference `paper-repro figures --layout-json` is tested against.

Draws figures from this project's stored result files with the authors' plotting settings
(docs/spec.md §2, §3, §6.6, §7: rcParams, sizes, palettes, seaborn themes, tight_layout pads)
and writes, per figure, what a reader sees of its layout: for each axes (in `fig.get_axes()`
order) the title, scales, limits, its box, every labelled tick (major and minor, increasing)
with its label and its position, and the legend's box and entries. Positions are in points
from the figure's top-left corner, as `paper-repro figures --layout-json` writes them.

Differences from the authors' environment, on purpose: TeX Gyre Termes stands in for Times
(same metrics) through mathtext instead of LaTeX (`text.usetex` needs a TeX installation); a
label that is only `\\textbf{…}` is bold text, and a title mixing it with math is mathtext with
`\\mathbf`. Neither changes a locator or formatter decision.

Usage (a throwaway virtualenv; not a dependency of the product):
    python3 -m venv /tmp/mpl && /tmp/mpl/bin/pip install matplotlib==3.10.8 seaborn==0.13.2
    /tmp/mpl/bin/python Tests/Reference/matplotlib_layout.py TOY_RESULTS TRANSFORMER_RESULTS DEFAULT_RESULTS OUT.json [PNG_DIR]
TOY_RESULTS: the toy experiments at the default scale; TRANSFORMER_RESULTS: the transformer and
Fig. 7 experiments at the smoke scale; DEFAULT_RESULTS: attention-maps and sample-tracking at the
default scale (`./paper-repro.sh test` makes all three under .build/ci-results).
"""

import glob
import json
import math
import os
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager, ticker  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

assert matplotlib.__version__ == "3.10.8", f"needs matplotlib 3.10.8, found {matplotlib.__version__}"
assert sns.__version__ == "0.13.2", f"needs seaborn 0.13.2, found {sns.__version__}"

for path in subprocess.run(["fc-list", ":family=TeX Gyre Termes", "file"], capture_output=True, text=True).stdout.split():
    font_manager.fontManager.addfont(path.rstrip(":"))

FONTS = {"font.family": "serif", "font.serif": ["TeX Gyre Termes"], "text.usetex": False,
         "mathtext.fontset": "custom", "mathtext.rm": "TeX Gyre Termes", "mathtext.it": "TeX Gyre Termes:italic",
         "mathtext.bf": "TeX Gyre Termes:bold"}
ICML = {**FONTS, "font.size": 9, "axes.labelsize": 10, "axes.titlesize": 10, "xtick.labelsize": 8,
        "ytick.labelsize": 8, "legend.fontsize": 8, "figure.dpi": 150, "savefig.dpi": 300,
        "axes.spines.top": False, "axes.spines.right": False}


def style(seaborn=False, **extra):
    plt.rcdefaults()
    if seaborn:
        sns.set_theme(style="white", context="paper", font_scale=1.0)
    plt.rcParams.update({**ICML, **extra})


def tex(s):
    """`\\textbf{A B}` as mathtext bold (usetex would draw it as LaTeX bold)."""
    return re.sub(r"\\textbf\{([^}]*)\}", lambda m: "$\\mathbf{" + m.group(1).replace(" ", "\\ ") + "}$", s)


def load(directory, experiment):
    files = sorted(glob.glob(os.path.join(directory, experiment, "*.json")))
    return [json.load(open(f)) for f in files]


def single(directory, experiment):
    runs = load(directory, experiment)
    assert len(runs) == 1, f"{directory}/{experiment}: expected one result, found {len(runs)}"
    return runs[0]


def toy_history(run):
    """A toy run's history and its iterations as floats (the x of every toy figure)."""
    h = run["history"]
    return h, np.array(h["iteration"], dtype=float)


def plot_columns(ax, x, rows, colors, lw=1, alpha=0.8):
    """One line per column of `rows` (the twin of the Swift figures' `plotColumns`)."""
    rows = np.array(rows)
    for d in range(rows.shape[1]):
        ax.plot(x, rows[:, d], color=colors[d], alpha=alpha, lw=lw)


def softmax(rows):
    z = np.exp(rows - rows.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def hls8():
    return sns.color_palette("hls", 8)


# ---------------------------------------------------------------------------------------------
# The figures (docs/spec.md §3, §5.6, §6.6, §7), each returning (fig, titles as the TeX source).

def f1(toy):
    h, it = toy_history(single(toy, "logistic"))
    sigma = softmax(np.array(h["a"]))
    u = np.array(h["u"])
    base = hls8()
    colors = [base[i] for i in [3, 5, 1, 7, 0, 2, 4, 6]]
    style()
    fig, axes = plt.subplots(1, 2, figsize=(6.75, 2))
    for d in range(sigma.shape[1]):
        axes[0].loglog(it, sigma[:, d], label=f"$\\sigma(a)_{{{d + 1}}}$", color=colors[d], alpha=0.9, lw=1.2)
        axes[1].semilogx(it, u[:, d], label=f"$u_{{{d + 1}}}$", color=colors[d], alpha=0.9, lw=1.2)
    titles = ["Evolution of $\\sigma(a)$", "Evolution of $u$"]
    for ax, title in zip(axes, titles):
        ax.set_xlabel("Iteration $t$")
        ax.set_ylabel("Value")
        ax.set_title(title)
        ax.tick_params(direction="out", length=2.5, width=0.6)
        ax.xaxis.set_minor_locator(ticker.NullLocator())
        ax.yaxis.set_minor_locator(ticker.NullLocator())
    axes[0].legend(frameon=False, handlelength=1.6, borderaxespad=0.2, loc="lower left", ncol=2)
    axes[1].legend(frameon=False, handlelength=1.6, borderaxespad=0.2, loc="upper left", ncol=2)
    fig.tight_layout(pad=0.2, w_pad=0.6)
    return fig, titles


NORMALIZATIONS = [("l1", "L1"), ("sum", "Sum"), ("l2", "L2"), ("softmax", "Softmax"), ("relu", "Relu"), ("sigmoid", "Sigmoid")]


def f2f3(toy, experiment, decimals):
    h, it = toy_history(single(toy, experiment))
    colors = sns.color_palette("husl", 10)
    style()
    fig, axes = plt.subplots(6, 2, figsize=(3.25, 7.5))
    titles = []
    for row, (key, name) in enumerate(NORMALIZATIONS):
        plot_columns(axes[row, 0], it, h[key]["alpha"], colors)
        plot_columns(axes[row, 1], it, h[key]["a"], colors)
        axes[row, 0].set_ylabel(name, fontweight="bold")   # \\textbf{name}: bold text, not mathtext
        axes[row, 0].yaxis.set_major_formatter(ticker.FormatStrFormatter(f"%.{decimals}f"))
        for ax in axes[row]:
            ax.set_xscale("log")
        if row == 0:
            axes[row, 0].set_title("Weight $\\alpha$")
            axes[row, 1].set_title("Value $a$")
        if row == 5:
            axes[row, 0].set_xlabel("Iteration $t$")
            axes[row, 1].set_xlabel("Iteration $t$")
        titles += ["Weight $\\alpha$", "Value $a$"] if row == 0 else ["", ""]
    fig.tight_layout()
    return fig, titles


def label_row(row, titles, ylabels):
    """One row of F4/F5 panels: the iteration x label, y labels and titles; returns the titles."""
    for ax, title, ylabel in zip(row, titles, ylabels):
        ax.set_xlabel("Iteration $t$")
        ax.set_ylabel(ylabel)
        ax.set_title(tex(title))
    return titles


def f4(toy):
    run = single(toy, "tied")
    h, it = toy_history(run)
    deep = sns.color_palette("deep")
    dims = run["config"]["dims"]
    style()
    fig, axes = plt.subplots(len(dims), 3, figsize=(6.75, 1.5 * len(dims)))
    titles = []
    for row, d in enumerate(dims):
        m = h[f"D{d}"]
        axes[row, 0].plot(it, m["loss"], lw=1, color=deep[0])
        axes[row, 0].set_xscale("log")
        axes[row, 0].set_yscale("log")
        plot_columns(axes[row, 1], it, m["alpha"], sns.color_palette("husl", d))
        axes[row, 1].set_xscale("log")
        axes[row, 2].plot(it, m["column_norm"], lw=1, color=deep[2])
        axes[row, 2].set_xscale("log")
        row_titles = [f"\\textbf{{Loss}} ($D = {d}$)", f"$\\sigma(Ua)$ ($D = {d}$)", f"$\\|U^{{(m)}}\\|_F$ ($D = {d}$)"]
        titles += label_row(axes[row], row_titles, ["Loss $L(U, a)$", "Probability", "$\\|U^{(m)}\\|_F$"])
    fig.tight_layout()
    return fig, titles


def f5(toy):
    run = single(toy, "conditioning")
    h, it = toy_history(run)
    deep, husl6, husl20 = sns.color_palette("deep"), sns.color_palette("husl", 6), sns.color_palette("husl", 20)
    kappas = run["config"]["kappas"]
    style()
    fig, axes = plt.subplots(len(kappas), 3, figsize=(6.75, 1.5 * len(kappas)))
    titles = []
    for row, kappa in enumerate(kappas):
        m = h[f"kappa{kappa}"]
        axes[row, 0].plot(it, m["loss"], lw=1, color=deep[0])
        axes[row, 0].set_yscale("log")
        axes[row, 1].plot(it, m["grad_W_norm"], lw=1, color=husl6[1], label="$\\|\\nabla_W L\\|$")
        axes[row, 1].plot(it, m["grad_a_norm"], lw=1, color=husl6[2], label="$\\|\\nabla_a L\\|$")
        axes[row, 1].set_yscale("log")
        if row == 0:
            axes[row, 1].legend(frameon=False, loc="upper right")
        plot_columns(axes[row, 2], it, m["a"], husl20)
        row_titles = [f"\\textbf{{Loss Trajectory}} ($\\kappa = {kappa}$)", f"\\textbf{{Gradient Norms}} ($\\kappa = {kappa}$)",
                      f"\\textbf{{Evolution of}} $a$ ($\\kappa = {kappa}$)"]
        titles += label_row(axes[row], row_titles, ["Loss $L(W, a)$", "Gradient Norm", "Parameter Value"])
    fig.tight_layout()
    return fig, titles


def f6(toy):
    h, it = toy_history(single(toy, "conditioning"))
    husl20 = sns.color_palette("husl", 20)
    style()
    fig, axes = plt.subplots(1, 2, figsize=(3.375, 1.3))
    titles = []
    for ax, kappa in zip(axes, [1, 5]):
        plot_columns(ax, it, h[f"kappa{kappa}"]["a"], husl20, lw=0.7)
        ax.set_title(f"$\\kappa = {kappa}$")
        titles.append(f"$\\kappa = {kappa}$")
    fig.tight_layout()
    return fig, titles


def f7(toy):
    h, it = toy_history(single(toy, "kl"))
    style(seaborn=True)
    deep = sns.color_palette("deep")
    fig, axes = plt.subplots(1, 3, figsize=(6.75, 2))
    axes[0].loglog(it, h["loss"], lw=1, color=deep[0])
    axes[0].set_ylabel("Loss")
    axes[1].loglog(it, h["grad_V_norm"], lw=1, color=deep[1], label="$\\|\\nabla_V L\\|$")
    axes[1].loglog(it, h["grad_a_norm"], lw=1, color=deep[2], label="$\\|\\nabla_a L\\|$")
    axes[1].set_ylabel("Norm")
    axes[1].legend(frameon=False)
    plot_columns(axes[2], it, h["a"], sns.color_palette("husl", len(h["a"][0])))
    axes[2].set_xscale("log")
    titles = ["\\textbf{Loss Trajectory}", "\\textbf{Gradient Norms}", "\\textbf{Evolution of} $a$"]
    for ax, title in zip(axes, titles):
        ax.set_xlabel("Iteration $t$")
        ax.set_title(tex(title))
    fig.tight_layout()
    return fig, titles


def f10(default, model="softmax", sample=0, head=0):
    run = [r for r in load(default, "attention-maps") if r["run"] == model]
    assert run, f"no attention-maps run {model}"
    maps = run[0]["history"]["maps"]
    matrix = np.array(maps[sample][head])  # layer 1 only
    style()
    cmap = LinearSegmentedColormap.from_list("custom_diverging", ["#de337d", "#ede8e1", "#0bb806"], N=256)
    fig, ax = plt.subplots(figsize=(1.0, 1.0))
    ax.imshow(matrix, cmap=cmap, aspect="auto", vmin=-1, vmax=1)
    ax.axis("off")
    for i in range(matrix.shape[0] + 1):
        ax.axhline(i - 0.5, color="white", lw=0.3, alpha=0.5)
        ax.axvline(i - 0.5, color="white", lw=0.3, alpha=0.5)
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, lw=0.3, edgecolor="black", facecolor="none", clip_on=False))
    fig.tight_layout()
    return fig, [""]


def f12(default):
    h = single(default, "sample-tracking")["history"]
    tokens, rows = h["tokens"], h["cls_rows"]
    style(seaborn=True, **{"font.size": 6, "axes.labelsize": 7, "axes.titlesize": 7})
    colors = sns.color_palette("husl", 11)
    fig, axes = plt.subplots(1, 2, figsize=(3.25, 1.3), squeeze=False)
    for label in range(2):
        ax = axes[0, label]
        track = np.array(rows[label])
        steps = np.arange(track.shape[0])
        for key in range(11):
            ax.plot(steps, track[:, key], color=colors[key], alpha=0.8, lw=1, label=str(tokens[label][key]))
        ax.set_xscale("log")
        ax.set_title(f"Label {label}")
        if label == 0:
            ax.set_ylabel("$\\sigma(a)$")
    fig.tight_layout()
    return fig, ["Label 0", "Label 1"]


def f13(transformer):
    runs = {r["config"]["attention_type"]: r for r in load(transformer, "language-models")}
    softmax_heads = np.array(runs["softmax"]["summary"]["max_proportion"], dtype=float).flatten()
    sigmoid_heads = np.array(runs["sigmoid_logn_unnorm"]["summary"]["max_proportion"], dtype=float).flatten()
    style()
    set2 = sns.color_palette("Set2")
    fig, ax = plt.subplots(figsize=(3.25, 1.8))
    sns.histplot(softmax_heads, label="Softmax", alpha=0.8, stat="count", bins=20, color=set2[2], ax=ax)
    sns.histplot(sigmoid_heads, label="Sigmoid (w/o norm.)", alpha=0.8, stat="count", bins=20, color=set2[1], ax=ax)
    ax.set_xlabel("avg. sparsity score")
    ax.set_ylabel("# heads")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig, [""]


# ---------------------------------------------------------------------------------------------
# The bar charts of the sweeps (docs/spec.md §5.5, §6.5), with seaborn 0.13.2's barplot.

BASES = ["softmax", "sigmoid", "elu", "elu $\\cdot$ elu", "mlp", "linear"]
KINDS = {"softmax": ("softmax", "w. norm."), "sigmoid_norm": ("sigmoid", "w. norm."), "sigmoid_unnorm": ("sigmoid", "w/o norm."),
         "coupled_linear_norm": ("elu", "w. norm."), "coupled_linear_unnorm": ("elu", "w/o norm."),
         "linear": ("elu $\\cdot$ elu", "w. norm."), "linear_unnorm": ("elu $\\cdot$ elu", "w/o norm."),
         "mlp_norm": ("mlp", "w. norm."), "mlp_unnorm": ("mlp", "w/o norm."),
         "raw_dotproduct_norm": ("linear", "w. norm."), "raw_dotproduct_unnorm": ("linear", "w/o norm.")}
HUES = ["w. norm.", "w/o norm."]


def finite(table):
    return [v for row in table for v in row if v is not None and not (isinstance(v, float) and math.isnan(v))]


def bars(ax, values, ylabel, hatch, legend_loc, ncol=1, drop_on_overlap=False, legend=True):
    """values: (attention_type, value) pairs. The authors' barplot cell, red crosses and all."""
    import pandas as pd
    rows = [(*KINDS[k], v) for k, v in values]
    frame = pd.DataFrame(rows, columns=["base", "norm", "value"])
    hls = sns.color_palette("hls", 8)
    if len(frame):
        sns.barplot(frame, x="base", y="value", hue="norm", order=BASES, hue_order=HUES, palette=[hls[3], hls[5]],
                    edgecolor="black", linewidth=0.5, width=0.7, gap=0.1, errorbar=None, ax=ax, legend=legend)
    ax.set_xticks(range(len(BASES)), BASES)
    ax.set_xlim(-0.5, len(BASES) - 0.5)
    present = {(b, n) for b, n, _ in rows}
    for i, base in enumerate(BASES):
        for j, norm in enumerate(HUES):
            if (base, norm) not in present and (base, norm) != ("softmax", "w/o norm."):
                ax.plot(i + (j - 0.5) * 0.35, 0.1, "x", color="red", markersize=7, markeredgewidth=2)
    if ax.patches:
        first = ax.patches[0]
        first.set_x(first.get_x() + first.get_width() / 1.7)
        if hatch:
            for patch in ax.patches:
                patch.set_hatch(hatch)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
    ax.tick_params(axis="x", rotation=45)
    if legend and len(frame):
        leg = ax.legend(frameon=False, loc=legend_loc, ncol=ncol)
        if drop_on_overlap:
            ax.figure.canvas.draw()
            box = leg.get_window_extent()
            if any(box.overlaps(p.get_window_extent()) for p in ax.patches if p.get_height() > 0):
                leg.remove()


def induction_records(transformer):
    return load(transformer, "induction")


def f8f9(transformer, which, aux, shift, positional):
    runs = [r for r in induction_records(transformer) if r["config"]["aux_loss_weight"] == aux
            and r["config"]["shift_query_token"] == shift and r["config"]["positional_type"] == positional]
    style(**{"hatch.linewidth": 0.1})
    fig, ax = plt.subplots(figsize=(3.25, 1.8))
    if which == "sink":
        values = []
        for r in runs:
            if r["summary"]["acc_induction"] > 0.95:
                heads = finite([r["summary"]["rel_attn_bos_global"][1]])
                values.append((r["config"]["attention_type"], sum(v > 0.9 for v in heads) / len(heads)))
        bars(ax, values, "% of sink heads", None, "upper right", drop_on_overlap=True)
    else:
        values = [(r["config"]["attention_type"], r["summary"]["acc_induction"]) for r in runs]
        bars(ax, values, "Accuracy", "xxxxxxxxx", "upper left", ncol=2, drop_on_overlap=True)
    fig.tight_layout()
    return fig, [""]


def classification_records(transformer):
    return load(transformer, "classification")


def f11(transformer, vocabulary, mlp, layer_norm):
    runs = [r for r in classification_records(transformer) if r["config"]["num_layers"] == 1 and r["config"]["num_heads"] == 1
            and r["config"]["vocab_size"] == vocabulary and r["config"]["use_mlp"] == mlp and r["config"]["use_layernorm"] == layer_norm]
    style(**{"hatch.linewidth": 0.1})
    fig, ax = plt.subplots(figsize=(3.25, 1.8))
    values = [(r["config"]["attention_type"], max(finite(r["summary"]["avg_top1_dominance_rate"]))) for r in runs]
    bars(ax, values, "Flip Rate", "....", "upper right", ncol=2)
    fig.tight_layout()
    return fig, [""]


def overview(transformer, layers, heads):
    panels = [(False, False, "no MLP, no LN"), (False, True, "no MLP, LN"), (True, False, "MLP, no LN"), (True, True, "MLP, LN")]
    style(**{"hatch.linewidth": 0.1})
    fig, axes = plt.subplots(1, 4, figsize=(13, 1.8))
    for i, (mlp, layer_norm, title) in enumerate(panels):
        runs = [r for r in classification_records(transformer) if r["config"]["vocab_size"] == 41 and r["config"]["num_layers"] == layers
                and r["config"]["num_heads"] == heads and r["config"]["use_mlp"] == mlp and r["config"]["use_layernorm"] == layer_norm]
        values = [(r["config"]["attention_type"], float(np.mean(np.clip(finite(r["summary"]["rel_attn_max"]), 0, 1)))) for r in runs]
        bars(axes[i], values, "Sparsity Score", "*********", "upper right", ncol=2, legend=i == 0)
        axes[i].set_title(title)
    fig.suptitle(f"layers={layers}, heads={heads}", y=1.02)
    fig.tight_layout()
    return fig, [t for _, _, t in panels]


# ---------------------------------------------------------------------------------------------
# What a reader sees of a drawn figure.

def label_text(text):
    """matplotlib's label as the TeX source drawn: `$\\mathdefault{10^{-11}}$` → `$10^{-11}$`."""
    return re.sub(r"\\mathdefault\{(.*)\}", r"\1", text)


def describe(name, fig, titles):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    points = 72 / fig.dpi
    height = fig.bbox.height

    def box(bb):
        return [round(bb.x0 * points, 3), round((height - bb.y1) * points, 3),
                round(bb.width * points, 3), round(bb.height * points, 3)]

    axes = []
    for ax, title in zip(fig.get_axes(), titles):
        entry = {"title": title, "xscale": ax.get_xscale(), "yscale": ax.get_yscale(),
                 "xlim": list(ax.get_xlim()), "ylim": list(ax.get_ylim()),
                 "box": box(ax.get_window_extent(renderer)), "axis_on": ax.axison}
        for axis, key in [(ax.xaxis, "x"), (ax.yaxis, "y")]:
            ticks = []
            if ax.axison:
                for tick in axis._update_ticks():
                    text = tick.label1.get_text()
                    if not (tick.label1.get_visible() and text):
                        continue
                    loc = tick.get_loc()
                    if key == "x":
                        position = ax.transData.transform((loc, ax.get_ylim()[0]))[0] * points
                    else:
                        position = (height - ax.transData.transform((ax.get_xlim()[0], loc))[1]) * points
                    ticks.append((loc, label_text(text), round(position, 3)))
            ticks.sort()
            entry[key + "ticks"] = [t[1] for t in ticks]
            entry[key + "tick_positions"] = [t[2] for t in ticks]
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            entry["legend"] = {"box": box(legend.get_window_extent(renderer)),
                               "labels": [t.get_text() for t in legend.get_texts()]}
        axes.append(entry)
    return {"figure": name, "size": [round(fig.get_figwidth() * 72, 3), round(fig.get_figheight() * 72, 3)], "axes": axes}


# ---------------------------------------------------------------------------------------------
# Single axes of a given length and range: the labelled ticks matplotlib's default locators and
# formatters give (the unit test of `Ticks`).

TICK_CASES = (
    [("linear", lo, hi, length) for lo, hi in [(0, 1), (-0.05, 1.05), (-0.013, 0.047), (0, 11.6), (-15000, 315000),
                                               (0.743, 1.347), (-3.2, 5.1), (1e-4, 3e-4), (-0.0571, 0.0569), (0.09, 0.131)]
     for length in (30, 55, 80, 120, 200)]
    + [("log", lo, hi, length) for lo, hi in [(10 ** -24.3, 10 ** 2.46), (1e-17, 1e3), (1.1, 2.3), (0.5, 1.4), (0.03, 0.2),
                                              (0.5, 2e6), (0.3, 30), (2e-3, 0.9), (0.96, 1.04), (10 ** -13.6, 10 ** -0.4)]
       for length in (30, 55, 80, 120, 200)]
)


def tick_cases():
    style()
    out = []
    for scale, lo, hi, length in TICK_CASES:
        for axis_name in ("x", "y"):
            fig = plt.figure(figsize=(4, 4))
            ax = fig.add_axes([0.1, 0.1, length / 288, length / 288])
            getattr(ax, f"set_{axis_name}scale")(scale)
            getattr(ax, f"set_{axis_name}lim")(lo, hi)
            fig.canvas.draw()
            axis = ax.xaxis if axis_name == "x" else ax.yaxis
            ticks = sorted((t.get_loc(), label_text(t.label1.get_text())) for t in axis._update_ticks()
                           if t.label1.get_visible() and t.label1.get_text())
            out.append({"axis": axis_name, "scale": scale, "limits": [lo, hi], "length": length,
                        "values": [v for v, _ in ticks], "labels": [label for _, label in ticks]})
            plt.close(fig)
    return out


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    toy, transformer, default, out = sys.argv[1:5]
    png_dir = sys.argv[5] if len(sys.argv) == 6 else None
    figures = [
        ("softmax_and_u_evolution_icml_2col", lambda: f1(toy)),
        ("square_loss_comparison", lambda: f2f3(toy, "normalization-square", 3)),
        ("log_loss_comparison", lambda: f2f3(toy, "normalization-logistic", 1)),
        ("massive_activations_2", lambda: f4(toy)),
        ("condition_numbers", lambda: f5(toy)),
        ("condition_numbers_small", lambda: f6(toy)),
        ("kl", lambda: f7(toy)),
        ("attention_map_softmax_0_1_0", lambda: f10(default)),
        ("classification_with_sample_tracking", lambda: f12(default)),
        ("sink_scores", lambda: f13(transformer)),
        ("sink_proportions_aux0.2_shift_concat", lambda: f8f9(transformer, "sink", 0.2, True, "concat")),
        ("accuracy_aux0.2_shift_concat", lambda: f8f9(transformer, "accuracy", 0.2, True, "concat")),
        ("accuracy_aux0.0_noshift_add", lambda: f8f9(transformer, "accuracy", 0.0, False, "add")),
        ("fliprate_vocab41_nomlp_noln", lambda: f11(transformer, 41, False, False)),
        ("fliprate_vocab41_mlp_ln", lambda: f11(transformer, 41, True, True)),
        ("sparsity_layers1_heads1", lambda: overview(transformer, 1, 1)),
        ("sparsity_layers2_heads2", lambda: overview(transformer, 2, 2)),
    ]
    described = []
    for name, draw in figures:
        fig, titles = draw()
        described.append(describe(name, fig, titles))
        if png_dir:
            os.makedirs(png_dir, exist_ok=True)
            fig.savefig(os.path.join(png_dir, name + ".png"), dpi=150, bbox_inches="tight", pad_inches=0.02)
        plt.close(fig)
        print(name, file=sys.stderr)
    with open(out, "w") as f:
        json.dump({"matplotlib": matplotlib.__version__, "seaborn": sns.__version__, "figures": described,
                   "ticks": tick_cases()}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
