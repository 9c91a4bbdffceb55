"""Figure texts in both scripts (and English).

Only zh-TW is written by hand; a test checks that every zh-CN string equals the project's
converter (OpenCC tw2sp + the glossary) applied to the zh-TW one, so the two never drift.
The package itself does not need OpenCC at run time.
"""

from __future__ import annotations

from . import _checks

TEXT_LANGS = ("zh-TW", "zh-CN", "en")  # a figure text in each; notebooks come in lossviz._meta.LANGS

TEXT: dict[str, dict[str, str]] = {
    "residual": {"zh-TW": "殘差 d = x − y", "zh-CN": "残差 d = x − y", "en": "residual d = x − y"},
    "loss": {"zh-TW": "損失", "zh-CN": "损失", "en": "loss"},
    "gradient": {"zh-TW": "梯度 ∂ℓ/∂x", "zh-CN": "梯度 ∂ℓ/∂x", "en": "gradient ∂ℓ/∂x"},
    "loss_curves": {"zh-TW": "損失曲線", "zh-CN": "损失曲线", "en": "loss curves"},
    "gradient_curves": {"zh-TW": "梯度曲線", "zh-CN": "梯度曲线", "en": "gradient curves"},
    "probability": {"zh-TW": "機率 p", "zh-CN": "概率 p", "en": "probability p"},
    "surprise": {"zh-TW": "驚訝度 −log p", "zh-CN": "惊讶度 −log p", "en": "surprise −log p"},
}


def add(texts: dict[str, dict[str, str]]) -> None:
    """Register a topic's figure texts (each key once; each with zh-TW, zh-CN and en)."""
    for key, forms in texts.items():
        if key in TEXT and TEXT[key] != forms:
            raise ValueError(f"texts must not redefine key {key!r}, got a second definition")
        if set(forms) != set(TEXT_LANGS):
            raise ValueError(f"texts[{key!r}] must have exactly {TEXT_LANGS}, got {sorted(forms)}")
        TEXT[key] = dict(forms)


def t(key: str, lang: str) -> str:
    """The text ``key`` in ``lang`` ('zh-TW' | 'zh-CN' | 'en')."""
    _checks.choice("lang", lang, TEXT_LANGS)
    if key not in TEXT:
        raise ValueError(f"key must be one of the figure texts {sorted(TEXT)}, got {key!r}")
    return TEXT[key][lang]
