"""Catalog-driven checks, parametrized over every loss in lossviz.catalog()."""

from __future__ import annotations

import inspect
from importlib import import_module

import pytest
import torch

import lossviz
from lossviz._catalog import FAMILIES, FAMILY_NAMES

CATALOG = lossviz.catalog()
ENTRIES = list(CATALOG.values())
IDS = [e.id for e in ENTRIES]
WITH_GRAD = [e for e in ENTRIES if e.grad is not None]
WITH_REF = [e for e in ENTRIES if e.reference is not None]
WITH_EXTREME = [e for e in ENTRIES if e.extreme is not None]
REDUCTIONS = ("none", "mean", "sum")

def _first_requires_grad(args):
    first = args[0].detach().clone().requires_grad_(True)
    return (first, *args[1:])


def _tol(dtype):
    return dict(rtol=1e-9, atol=1e-11) if dtype == torch.float64 else dict(rtol=2e-5, atol=1e-5)


def _public(family: str) -> list[str]:
    return list(import_module(f"lossviz.{family}").__all__)


def test_catalog_is_the_list_of_public_losses():
    """Both ways: every public loss of a family module has an entry, every entry a public loss."""
    public = {name: family for family in FAMILIES for name in _public(family) if not name.endswith("_grad")}
    assert public == {e.id: e.family for e in ENTRIES}
    grads = {name for family in FAMILIES for name in _public(family) if name.endswith("_grad")}
    assert grads == {f"{e.id}_grad" for e in WITH_GRAD}
    extra = set(lossviz.__all__) - {"catalog", "Entry", "Param", "FAMILIES", "__version__"}
    assert extra == set(public) | grads


def test_every_family_has_one_name():
    """FAMILY_NAMES (the READMEs' table, the site's guide) names exactly the families, in order."""
    assert tuple(FAMILY_NAMES) == FAMILIES


@pytest.mark.parametrize("entry", WITH_GRAD, ids=[e.id for e in WITH_GRAD])
def test_grad_has_the_signature_of_its_loss_and_a_docstring(entry):
    assert inspect.signature(entry.grad) == inspect.signature(entry.fn)
    assert entry.grad.__doc__ and ":math:" in entry.grad.__doc__, "the docstring gives the gradient's math"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_entry_is_complete(entry):
    assert getattr(lossviz, entry.id) is entry.fn
    assert set(entry.names) == {"zh-TW", "zh-CN", "en"} and all(entry.names.values())
    assert entry.formula.strip()
    assert entry.fn.__doc__ and "``'mean'``" in entry.fn.__doc__, "docstring must say what 'mean' averages"
    if entry.grad is None:
        assert entry.grad_note, "a loss without closed-form gradient must say why"
    else:
        assert getattr(lossviz, f"{entry.id}_grad") is entry.grad
    args, kwargs = entry.example()
    for p in entry.params:
        assert p.low <= p.default <= p.high and p.step > 0
        out = entry.fn(*args, **{**kwargs, p.name: p.default})
        assert torch.isfinite(out).all()
    assert args[0].dtype == torch.float64


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("entry", WITH_GRAD, ids=[e.id for e in WITH_GRAD])
def test_closed_form_grad_equals_autograd(entry, reduction, device):
    args, kwargs = entry.example(dtype=torch.float64, device=device)
    args = _first_requires_grad(args)
    out = entry.fn(*args, **kwargs, reduction=reduction)
    (auto,) = torch.autograd.grad(out.sum(), args[0])
    closed = entry.grad(*[a.detach() if isinstance(a, torch.Tensor) else a for a in args],
                        **kwargs, reduction=reduction)
    assert closed.shape == args[0].shape
    torch.testing.assert_close(closed, auto, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_gradcheck_float64(entry):
    args, kwargs = entry.example(dtype=torch.float64)
    args = _first_requires_grad(args)

    def f(first):
        return entry.fn(first, *args[1:], **kwargs)

    assert torch.autograd.gradcheck(f, (args[0],), eps=1e-6, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("entry", WITH_REF, ids=[e.id for e in WITH_REF])
def test_matches_reference(entry, dtype, reduction, device):
    args, kwargs = entry.example(dtype=dtype, device=device)
    try:
        want = entry.reference(*args, **kwargs, reduction=reduction)
    except ValueError as exc:  # an adapter that covers a subset of reductions says so
        pytest.skip(str(exc))
    got = entry.fn(*args, **kwargs, reduction=reduction)
    assert got.dtype == dtype
    torch.testing.assert_close(got, want, **_tol(dtype))


@pytest.mark.parametrize("entry", WITH_REF, ids=[e.id for e in WITH_REF])
def test_reference_gradients_agree(entry):
    args, kwargs = entry.example(dtype=torch.float64)
    a = _first_requires_grad(args)
    b = _first_requires_grad(args)
    try:
        ref = entry.reference(*b, **kwargs)
    except ValueError as exc:
        pytest.skip(str(exc))
    (g_ref,) = torch.autograd.grad(ref, b[0])
    (g_ours,) = torch.autograd.grad(entry.fn(*a, **kwargs), a[0])
    if "reference_grad_differs" in entry.tags:
        pytest.skip(entry.reference_note)
    torch.testing.assert_close(g_ours, g_ref, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("entry", WITH_EXTREME, ids=[e.id for e in WITH_EXTREME])
def test_extreme_inputs_stay_finite(entry, device):
    args, kwargs = entry.extreme(dtype=torch.float32, device=device)
    args = _first_requires_grad(args)
    out = entry.fn(*args, **kwargs)
    assert torch.isfinite(out).all(), out
    (auto,) = torch.autograd.grad(out, args[0])
    assert torch.isfinite(auto).all(), auto
    if entry.grad is not None:
        closed = entry.grad(args[0].detach(), *args[1:], **kwargs)
        assert torch.isfinite(closed).all(), closed
        torch.testing.assert_close(closed, auto, rtol=1e-4, atol=1e-6)
    if entry.reference is not None:
        try:
            want = entry.reference(*[a.detach() if isinstance(a, torch.Tensor) else a for a in args], **kwargs)
        except ValueError as exc:
            pytest.skip(str(exc))
        torch.testing.assert_close(out.detach(), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_sum_and_mean_are_reductions_of_none(entry):
    args, kwargs = entry.example()
    none = entry.fn(*args, **kwargs, reduction="none")
    torch.testing.assert_close(entry.fn(*args, **kwargs, reduction="sum"), none.sum())
    if entry.mean_is_mean_of_none:
        torch.testing.assert_close(entry.fn(*args, **kwargs, reduction="mean"), none.mean())
    if entry.nonnegative:
        assert (none >= 0).all()


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_default_reduction_is_mean(entry):
    args, kwargs = entry.example()
    torch.testing.assert_close(entry.fn(*args, **kwargs), entry.fn(*args, **kwargs, reduction="mean"))


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_float32_in_float32_out(entry):
    args, kwargs = entry.example(dtype=torch.float32)
    out = entry.fn(*args, **kwargs)
    assert out.dtype == torch.float32 and torch.isfinite(out).all()


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_unknown_reduction_is_an_error(entry):
    args, kwargs = entry.example()
    with pytest.raises(ValueError, match=r"reduction must be one of 'none', 'mean', 'sum', got 'avg'"):
        entry.fn(*args, **kwargs, reduction="avg")


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.grad is not None], ids=[e.id for e in WITH_GRAD])
def test_grad_rejects_unknown_reduction(entry):
    args, kwargs = entry.example()
    with pytest.raises(ValueError, match=r"reduction must be one of"):
        entry.grad(*args, **kwargs, reduction="avg")


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_integer_first_argument_is_a_type_error(entry):
    args, kwargs = entry.example()
    if not args[0].is_floating_point():
        pytest.skip("first argument is not a float tensor")
    bad = (args[0].round().long(), *args[1:])
    with pytest.raises(TypeError, match=r"must be a floating-point tensor"):
        entry.fn(*bad, **kwargs)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.params], ids=[e.id for e in ENTRIES if e.params])
def test_params_slider_range_is_usable(entry):
    args, kwargs = entry.example()
    for p in entry.params:
        for value in (p.low, p.high):
            out = entry.fn(*args, **{**kwargs, p.name: value})
            assert torch.isfinite(out).all(), (p.name, value)
