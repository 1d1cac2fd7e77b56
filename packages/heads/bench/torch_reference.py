#!/usr/bin/env python3
"""PyTorch reference for the heads' training benchmark (train-bench.mjs).

A long-running child of train-bench.mjs: it trains the PyTorch equivalent of each head the TF.js
benchmark measures (same layer sizes, same ops, same losses, optimizer and hyper-parameters; random
inputs and the bench's labels), so every TF.js figure is compared with PyTorch on the same CPU in
the same run. Weight init differs (a speed reference, not a numerical one).

Protocol, one JSON object per line:
  start     -> {"ready": true, "torch": ..., "threads": ..., "blas": {...}}
               (or {"ready": false, "error": ...} and exit 2 when torch cannot be imported)
  request   <- {"head": "mlp", "steps": 5, "seconds": 1, "batch": 256, "dim": 1288, "hidden": 32, "threads": 2}
               (at least `steps` timed steps and `seconds` seconds, after one untimed step)
               head: mlp | va | multihead | expression | anfl | anfl-sam ("hidden": ANFL node
               width, default 32); "threads" (optional) overrides torch's intra-op threads and
               OpenBLAS's threads for this and later requests.
  response  -> {"head": ..., "samples_per_s": ..., "ms_per_step": ..., "steps": ..., "loss": ...,
                "torch": ..., "threads": ..., "threads_source": "default" | "request", "blas_threads": ...}
               or {"error": ...}
Each head's model, optimizer and inputs are built on its first request (plus one untimed warm-up
step) and kept, so the benchmark can alternate TF.js and PyTorch rounds without re-paying setup.
"""
import ctypes
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # reported to the bench, which prints how to install torch
    print(json.dumps({"ready": False, "error": f"{type(e).__name__}: {e}"}), flush=True)
    sys.exit(2)

NUM_AUS, NUM_EXPRESSIONS = 12, 8
EPS = 1e-8  # losses.ts's EPS


# --- OpenBLAS: PyTorch from Debian multiplies matrices with it, on its own pthreads, which
# torch.set_num_threads does not control; so report it and set it with the thread override.

def _openblas():
    try:
        lib = ctypes.CDLL("libopenblas.so.0")  # the copy torch already loaded, if any
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        return lib
    except (OSError, AttributeError):
        return None


OPENBLAS = _openblas()


def blas_info():
    if OPENBLAS is None:
        return {"name": "unknown (not OpenBLAS)"}
    return {"name": "OpenBLAS", "core": OPENBLAS.openblas_get_corename().decode(),
            "config": OPENBLAS.openblas_get_config().decode(), "threads": OPENBLAS.openblas_get_num_threads()}


def set_threads(n):
    torch.set_num_threads(n)
    if OPENBLAS is not None:
        OPENBLAS.openblas_set_num_threads(n)


# --- Inputs and labels: train-bench.mjs's rows (every task labelled on every frame).

class Labels:
    def __init__(self, batch):
        i = torch.arange(batch)
        j = torch.arange(NUM_AUS)
        self.au = (((i[:, None] + j[None, :]) % 3) == 0).float()
        self.au_mask = torch.ones(batch, NUM_AUS)
        self.expression = F.one_hot(i % NUM_EXPRESSIONS, NUM_EXPRESSIONS).float()
        self.expression_mask = torch.ones(batch)
        self.va = torch.stack([(i % 7).float() / 7 - 0.5, (i % 5).float() / 5 - 0.5], 1)
        self.va_mask = torch.ones(batch)


# --- Losses, as losses.ts (masked forms kept, with all-ones class weights as the bench uses).

def au_loss(p, y):
    """Weighted asymmetric loss; the negative term's weight p is gradient-stopped."""
    w = torch.ones(1, NUM_AUS)
    pos = y.au * torch.log(torch.clamp(p, min=EPS))
    neg = (1 - y.au) * p.detach() * torch.log(torch.clamp(1 - p, min=EPS))
    per = (pos + neg) * w * y.au_mask
    return -(per.sum() / torch.clamp(y.au_mask.sum(), min=1))


def expression_loss(logits, y):
    """Class-weighted cross-entropy, PyTorch's weighted mean."""
    w = torch.ones(NUM_EXPRESSIONS)
    nll = -(y.expression * F.log_softmax(logits, -1)).sum(-1)
    wi = (y.expression * w).sum(-1) * y.expression_mask
    return (wi * nll).sum() / torch.clamp(wi.sum(), min=EPS)


def ccc_loss(x, y):
    """(1 - CCC_v) + (1 - CCC_a), masked, each mean from its own tensor."""
    m = y.va_mask.reshape(-1, 1)
    n = torch.clamp(y.va_mask.sum(), min=1)
    mx = (x * m).sum(0) / n
    my = (y.va * m).sum(0) / n
    dx = (x - mx) * m
    dy = (y.va - my) * m
    vx = (dx * dx).sum(0) / n
    vy = (dy * dy).sum(0) / n
    cov = (dx * dy).sum(0) / n
    ccc = 2 * cov / (vx + vy + (mx - my) ** 2 + EPS)
    labelled = (y.va_mask.sum() > 1).float()
    return (1 - ccc).sum() * labelled


# --- Heads, as packages/heads/src.

class Dense(nn.Module):
    """dropout -> linear (with bias) -> optional batch norm -> activation (layers/dense.ts)."""

    def __init__(self, inputs, units, dropout=0.0, batch_norm=False, activation=None):
        super().__init__()
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.linear = nn.Linear(inputs, units)
        self.bn = nn.BatchNorm1d(units) if batch_norm else nn.Identity()
        self.activation = activation or (lambda t: t)

    def forward(self, x):
        return self.activation(self.bn(self.linear(self.dropout(x))))


class Mlp(nn.Module):
    """DESIGN.md's benchmark MLP: D -> 5152 (ReLU) -> 20 = 12 AU sigmoids + 8 expression logits."""

    def __init__(self, dim):
        super().__init__()
        self.a = Dense(dim, 5152, activation=F.relu)
        self.b = Dense(5152, NUM_AUS + NUM_EXPRESSIONS)

    def forward(self, x):
        o = self.b(self.a(x))
        return torch.sigmoid(o[:, :NUM_AUS]), o[:, NUM_AUS:]


class MultiHead(nn.Module):
    """Linear multi-head (hidden 0): one Dense per task, AU sigmoid, expression logits, VA tanh."""

    def __init__(self, dim):
        super().__init__()
        self.au = Dense(dim, NUM_AUS, activation=torch.sigmoid)
        self.expression = Dense(dim, NUM_EXPRESSIONS)
        self.va = Dense(dim, 2, activation=torch.tanh)

    def forward(self, x):
        return self.au(x), self.expression(x), self.va(x)


def normalized_topk_graph(f, k):
    """graph.ts with metric 'dots': keep each node's top-k dot products (ties kept), D^-1/2 A D^-1/2."""
    s = torch.bmm(f, f.transpose(1, 2))
    threshold = s.topk(min(k, s.shape[-1]), dim=-1).values[..., -1:]
    a = (s >= threshold).float()
    d = torch.rsqrt(a.sum(-1, keepdim=True))
    return a * d * d.transpose(1, 2)


class Anfl(nn.Module):
    """heads/anfl.ts: the 12 per-AU Dense blocks as one product of width 12 x hidden (one dropout
    mask, per-column batch norm), the top-k graph on detached node features, x' = ReLU(x + BN(A V(x)
    + U(x))) with BatchNorm1d(12) on [b, 12, hidden], then cosine with ReLU(class vectors)."""

    def __init__(self, dim, hidden, k=4, dropout=0.5):
        super().__init__()
        self.hidden, self.k = hidden, k
        self.nodes = Dense(dim, NUM_AUS * hidden, dropout=dropout, batch_norm=True, activation=F.relu)
        self.u = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.bnv = nn.BatchNorm1d(NUM_AUS)
        self.class_vectors = nn.Parameter(nn.init.xavier_uniform_(torch.empty(NUM_AUS, hidden)))

    def forward(self, x):
        b, h = x.shape[0], self.hidden
        f = self.nodes(x).view(b, NUM_AUS, h)
        with torch.no_grad():
            a = normalized_topk_graph(f, self.k)
        flat = f.reshape(b * NUM_AUS, h)
        vx = self.v(flat).view(b, NUM_AUS, h)
        ux = self.u(flat).view(b, NUM_AUS, h)
        agg = torch.bmm(a, vx) + ux
        nodes = F.normalize(F.relu(f + self.bnv(agg)), dim=-1)
        classes = F.normalize(F.relu(self.class_vectors), dim=-1)
        return (nodes * classes).sum(-1)


class ExpressionAttention(nn.Module):
    """heads/simple.ts ExpressionHead + cross-attention.ts: Dense(D -> 8) logits, score_j =
    w . tanh(Wq aus + Wk logit_j) (no biases), output = softmax(score) * logits."""

    def __init__(self, dim, size=64):
        super().__init__()
        self.size = size
        self.logits = Dense(dim, NUM_EXPRESSIONS)
        self.wq = nn.Parameter(torch.empty(NUM_AUS, size).uniform_(-NUM_AUS ** -0.5, NUM_AUS ** -0.5))
        self.wk = nn.Parameter(torch.empty(1, size).uniform_(-1, 1))
        self.w = nn.Parameter(torch.empty(size, 1).uniform_(-size ** -0.5, size ** -0.5))

    def forward(self, x, aus):
        logits = self.logits(x)
        b, c = logits.shape
        q = (aus @ self.wq).view(b, 1, self.size)
        k = logits.view(b, c, 1) * self.wk.view(1, 1, self.size)
        e = torch.tanh(q + k).reshape(b * c, self.size)
        scores = (e @ self.w).view(b, c)
        return F.softmax(scores, -1) * logits


# --- Optimizer steps, as optim-sam (PlainStep, Sam around SGD momentum).

def adamw(model):
    return torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)


def sgd(model):
    return torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1 / 256)


def plain_step(model, loss_fn, optimizer):
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn()
    loss.backward()
    optimizer.step()
    return loss


class _RunningStatsFrozen:
    """Batch-norm running statistics left alone (momentum 0) in SAM's second pass, as the TF.js
    trainer updates them once per step, at the unperturbed weights."""

    def __init__(self, model):
        self.bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]

    def __enter__(self):
        self.saved = [m.momentum for m in self.bns]
        for m in self.bns:
            m.momentum = 0.0

    def __exit__(self, *_):
        for m, momentum in zip(self.bns, self.saved):
            m.momentum = momentum


def sam_step(model, loss_fn, optimizer, rho=0.05):
    """optim-sam's Sam (not adaptive): g = grad L(w); e = rho g / ||g||; g' = grad L(w + e);
    weights restored from a copy, then the base SGD step with g'. Both passes draw the same
    dropout mask (TF.js seeds both passes of a step alike)."""
    rng = torch.get_rng_state()
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn()
    loss.backward()
    params = [p for p in model.parameters() if p.grad is not None]
    with torch.no_grad():
        saved = [p.detach().clone() for p in params]
        norm = torch.sqrt(sum((p.grad * p.grad).sum() for p in params))
        scale = rho / (norm + 1e-12)
        for p in params:
            p.add_(p.grad * scale)
    optimizer.zero_grad(set_to_none=True)
    torch.set_rng_state(rng)
    with _RunningStatsFrozen(model):
        loss_fn().backward()
    with torch.no_grad():
        for p, s in zip(params, saved):
            p.copy_(s)
    optimizer.step()
    return loss


# --- The benchmark's cases: each returns a step() closure over its model, optimizer and inputs.

def build_case(head, dim, batch, hidden):
    x = torch.randn(batch, dim, generator=torch.Generator().manual_seed(1))
    y = Labels(batch)
    if head == "mlp":
        model = Mlp(dim)
        optimizer, step = adamw(model), plain_step

        def loss_fn():
            au, ex = model(x)
            return au_loss(au, y) + expression_loss(ex, y)
    elif head == "va":
        model = Dense(dim, 2, batch_norm=True, activation=torch.tanh)
        optimizer, step = sgd(model), plain_step

        def loss_fn():
            return ccc_loss(model(x), y)
    elif head == "multihead":
        model = MultiHead(dim)
        optimizer, step = adamw(model), plain_step

        def loss_fn():
            au, ex, va = model(x)
            return au_loss(au, y) + expression_loss(ex, y) + ccc_loss(va, y)
    elif head == "expression":
        # The AU head is frozen: its outputs are computed once, at inference, and are a constant.
        frozen = Anfl(dim, hidden).eval()
        with torch.no_grad():
            aus = frozen(x)
        model = ExpressionAttention(dim)
        optimizer, step = sgd(model), plain_step

        def loss_fn():
            return expression_loss(model(x, aus), y)
    elif head in ("anfl", "anfl-sam"):
        model = Anfl(dim, hidden)
        optimizer = sgd(model)
        step = sam_step if head == "anfl-sam" else plain_step

        def loss_fn():
            return au_loss(model(x), y)
    else:
        raise ValueError(f"unknown head {head!r}")
    model.train()

    def run():
        loss = step(model, loss_fn, optimizer)
        return loss.item()  # the TF.js bench reads the loss back every step too
    return run


class Reference:
    def __init__(self):
        self.cases = {}
        self.threads_source = "default"

    def handle(self, req):
        if "threads" in req and req["threads"] is not None:
            set_threads(int(req["threads"]))
            self.threads_source = "request"
        head, steps = req["head"], int(req.get("steps", 5))
        dim, batch, hidden = int(req.get("dim", 1288)), int(req.get("batch", 256)), int(req.get("hidden", 32))
        key = (head, dim, batch, hidden)
        if key not in self.cases:
            self.cases[key] = build_case(head, dim, batch, hidden)
            self.cases[key]()  # warm-up: allocation, optimizer state
        run = self.cases[key]
        run()  # untimed, as the TF.js side: the other engine's threads wind down meanwhile
        seconds = float(req.get("seconds", 0))
        t0 = time.perf_counter()
        loss, done = None, 0
        while done < steps or time.perf_counter() - t0 < seconds:
            loss = run()
            done += 1
        steps = done
        s = time.perf_counter() - t0
        return {"head": head, "hidden": hidden, "steps": steps, "batch": batch,
                "samples_per_s": batch * steps / s, "ms_per_step": 1000 * s / steps, "loss": loss,
                "torch": torch.__version__, "threads": torch.get_num_threads(),
                "threads_source": self.threads_source, "blas_threads": blas_info().get("threads")}


def main():
    torch.manual_seed(1)
    print(json.dumps({"ready": True, "torch": torch.__version__, "python": sys.executable,
                      "threads": torch.get_num_threads(), "blas": blas_info()}), flush=True)
    ref = Reference()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = ref.handle(json.loads(line))
        except Exception as e:  # one bad request is reported, the process keeps serving
            out = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
