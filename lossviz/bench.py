"""Benchmarks (not timed tests): ``python -m lossviz.bench losses`` / ``sliders``.

``sliders``: for every interactive figure, one in-place slider update against a naive
rebuild (:func:`bench_sliders`).  ``losses``: for every catalog entry with a PyTorch
reference, the median wall time of one forward + backward pass and the peak memory held by
tensors during it, for lossviz and for the reference on the same inputs (about 10^6
elements, CPU), measured in the same run, interleaved, and their ratios.  Ratios are what
to compare across machines; these machines are shared and noisy.

Peak memory is counted exactly, not sampled: a ``TorchDispatchMode`` adds the bytes of every
storage an operator creates and subtracts them when the storage is freed.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import torch
from torch.utils._python_dispatch import TorchDispatchMode

from . import _checks

if TYPE_CHECKING:
    from .widgets import Slider

N_ELEMENTS = 10**6


class PeakMemory(TorchDispatchMode):
    """Peak bytes of tensor storages alive at once while the mode is active."""

    def __init__(self) -> None:
        super().__init__()
        self.live = 0
        self.peak = 0
        self._seen: set[int] = set()

    def _track(self, t: torch.Tensor) -> None:
        storage = t.untyped_storage()
        key = storage.data_ptr()
        if key in self._seen or storage.nbytes() == 0:
            return
        self._seen.add(key)
        nbytes = storage.nbytes()
        self.live += nbytes
        self.peak = max(self.peak, self.live)

        def release(key=key, nbytes=nbytes):
            self.live -= nbytes
            self._seen.discard(key)

        weakref.finalize(t, release)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(t, torch.Tensor) and t.device.type != "meta":
                self._track(t)
        return out


def _g(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _inputs() -> dict[str, Callable[[], tuple[tuple, dict]]]:
    """Inputs of about 10^6 elements for each loss that has a reference."""
    n = N_ELEMENTS
    rows, cols = 10_000, 100

    def pair():
        g = _g(0)
        return (torch.randn(n, generator=g), torch.randn(n, generator=g)), {}

    def probs_pair():
        g = _g(1)
        return (torch.rand(n, generator=g).clamp(1e-4, 1 - 1e-4), torch.rand(n, generator=g)), {}

    def logits_targets01():
        g = _g(2)
        return (torch.randn(n, generator=g) * 3, (torch.rand(n, generator=g) < 0.3).float()), {}

    def ce():
        g = _g(3)
        return (torch.randn(rows, cols, generator=g), torch.randint(cols, (rows,), generator=g)), {}

    def dists():
        g = _g(4)
        p = torch.softmax(torch.randn(rows, cols, generator=g), -1)
        q = torch.softmax(torch.randn(rows, cols, generator=g), -1)
        return (p, q), {}

    def dist():
        return (dists()[0][0],), {}

    def triplet():
        g = _g(5)
        m, d = 10_000, 100
        return tuple(torch.randn(m, d, generator=g) for _ in range(3)), {}

    def ctc():
        g = _g(6)
        t, b, c, s = 100, 100, 100, 30
        lp = torch.log_softmax(torch.randn(t, b, c, generator=g), -1)
        targets = torch.randint(1, c, (b, s), generator=g)
        return (lp, targets, torch.full((b,), t, dtype=torch.long), torch.full((b,), s, dtype=torch.long)), {}

    def seq():
        g = _g(7)
        nb, t, c = 100, 100, 100
        x = torch.randn(nb, t, c, generator=g)
        y = torch.randint(c, (nb, t), generator=g)
        y[:, 80:] = -100  # padding
        return (x, y), {}

    return {
        "mse": pair, "rmse": pair, "mae": pair, "huber": pair,
        "bce": probs_pair, "bce_with_logits": logits_targets01, "focal": logits_targets01,
        "cross_entropy": ce, "multiclass_hinge": ce,
        "entropy": dist, "kl_div": dists,
        "triplet": triplet, "ctc": ctc, "sequence_ce": seq,
    }


def _time(fn: Callable, args: tuple, kwargs: dict) -> float:
    first = args[0].detach().clone().requires_grad_(True)
    start = time.perf_counter()
    fn(first, *args[1:], **kwargs).backward()
    return time.perf_counter() - start


def _peak(fn: Callable, args: tuple, kwargs: dict) -> int:
    """Measured in a separate pass: the dispatch mode costs time of its own."""
    first = args[0].detach().clone().requires_grad_(True)
    gc.collect()
    with PeakMemory() as mem:
        fn(first, *args[1:], **kwargs).backward()
    return mem.peak


def bench_losses(repeat: int = 15, only: list[str] | None = None, out=sys.stdout) -> list[dict]:
    from ._catalog import catalog

    torch.manual_seed(0)
    builders = _inputs()
    rows = []
    for entry in catalog().values():
        if entry.reference is None or entry.id not in builders or (only and entry.id not in only):
            continue
        args, kwargs = builders[entry.id]()
        ours_t, ref_t = [], []
        for _ in range(2):  # warm-up
            _time(entry.fn, args, kwargs)
            _time(entry.reference, args, kwargs)
        for i in range(repeat):  # interleaved so that drift hits both sides alike
            pairs = ((entry.fn, ours_t), (entry.reference, ref_t))
            for fn, times in pairs if i % 2 == 0 else pairs[::-1]:
                times.append(_time(fn, args, kwargs))
        ours_m, ref_m = _peak(entry.fn, args, kwargs), _peak(entry.reference, args, kwargs)
        row = dict(id=entry.id, elements=args[0].numel(),
                   ours_ms=statistics.median(ours_t) * 1e3, ref_ms=statistics.median(ref_t) * 1e3,
                   ours_mb=ours_m / 2**20, ref_mb=ref_m / 2**20)
        row["time_ratio"] = row["ours_ms"] / row["ref_ms"]
        row["mem_ratio"] = row["ours_mb"] / row["ref_mb"] if row["ref_mb"] else float("nan")
        rows.append(row)
        print(f"{row['id']:<18} {row['elements']:>9} {row['ours_ms']:9.2f} {row['ref_ms']:9.2f} "
              f"{row['time_ratio']:6.2f} {row['ours_mb']:8.1f} {row['ref_mb']:8.1f} {row['mem_ratio']:6.2f}",
              file=out, flush=True)
    return rows


def _slider_values(sliders: Sequence[Slider], k: int) -> dict[str, float]:
    """A deterministic walk over each slider's range (the k-th of many updates)."""
    out = {}
    for j, s in enumerate(sliders):
        frac = ((k * 0.37 + j * 0.21) % 1.0)
        out[s.name] = s.low + frac * (s.high - s.low)
    return out


def bench_sliders(repeat: int = 30, out=sys.stdout, only: Sequence[str] | None = None) -> list[dict]:
    """``<figure-id> <median ms> <naive median ms> <ratio>`` for every interactive figure.

    One update = ``update`` + render to PNG at the notebook's size and dpi.  Naive = build the
    whole figure anew at those values, then render it to PNG (``savefig``), then close it.
    """
    from .fonts import use_cjk
    from .plots import FIGURES

    repeat = int(_checks.number("repeat", repeat, low=30, integer=True))
    use_cjk("zh-TW")  # as in a notebook after its first cell: the CJK face, not DejaVu's tofu
    rows = []
    for fig_id, make in FIGURES.items():
        if only and fig_id not in only:
            continue
        live = make()
        live.render_png()  # the first render builds the cached background
        fast, naive = [], []
        for k in range(repeat):
            values = _slider_values(live.sliders, k)
            t0 = time.perf_counter()
            live.update(**values)
            live.render_png()
            fast.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            fresh = make()
            fresh.update(**values)
            buf = io.BytesIO()
            fresh.fig.savefig(buf, format="png", dpi=fresh.dpi)
            naive.append(time.perf_counter() - t0)
        row = dict(id=fig_id, ms=statistics.median(fast) * 1e3, naive_ms=statistics.median(naive) * 1e3)
        row["ratio"] = row["ms"] / row["naive_ms"]
        rows.append(row)
        print(f"{fig_id} {row['ms']:.1f} {row['naive_ms']:.1f} {row['ratio']:.2f}", file=out, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lossviz.bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p_loss = sub.add_parser("losses", help="lossviz vs PyTorch reference: time and peak memory")
    p_loss.add_argument("--repeat", type=int, default=15)
    p_loss.add_argument("--only", nargs="*", help="catalog ids to run")
    p_sl = sub.add_parser("sliders", help="one in-place slider update vs a naive full rebuild")
    p_sl.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # shared 2-core machines: one thread makes the ratios steadier
    if args.what == "losses":
        print(f"{'id':<18} {'elements':>9} {'ours ms':>9} {'ref ms':>9} {'ratio':>6} "
              f"{'ours MB':>8} {'ref MB':>8} {'ratio':>6}")
        bench_losses(args.repeat, args.only)
    else:
        bench_sliders(args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
