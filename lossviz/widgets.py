"""Sliders that move figures in place and their static companions.

A :class:`LiveFigure` is built once.  Its ``update(**values)`` is a plain function (the
slider callback; tests call it directly) that changes the data of existing artists with
``set_data`` / ``set_text``.  ``render_png()`` redraws only those artists over a cached
background (the axes, ticks, labels and legends do not move because the limits are fixed),
then encodes the canvas as PNG — what the notebook shows after each slider move.

In a notebook, :func:`interactive` wires ipywidgets sliders to ``update`` through
``ipywidgets.interactive_output`` into an ``Output`` of fixed height (works with
ipywidgets 7.7.1 on Colab and 8.x in JupyterLab).  :func:`strip` is the static companion:
the same figure at several parameter values, tiled into one image that reads without a
kernel (GitHub, print, a projector).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


@dataclass(frozen=True)
class Slider:
    """One slider: the keyword it sets, its label, range, step and starting value."""

    name: str
    label: str
    low: float
    high: float
    step: float
    value: float

    def __post_init__(self) -> None:
        if not self.low <= self.value <= self.high:
            raise ValueError(f"value must be in [{self.low}, {self.high}], got {self.value}")
        if not self.step > 0:
            raise ValueError(f"step must be > 0, got {self.step}")


class LiveFigure:
    """A figure whose dynamic artists are updated in place.

    ``fig``: a ``matplotlib.figure.Figure`` (not pyplot: no global state, and the inline
    backend does not show it by itself).  ``dynamic``: the artists ``update`` changes.
    ``update``: ``update(**values)`` — sets new data on those artists.
    """

    def __init__(self, fig: Figure, sliders: Sequence[Slider], update: Callable[..., None],
                 dynamic: Iterable[Artist], *, dpi: float | None = None) -> None:
        self.fig = fig
        self.sliders = tuple(sliders)
        self._update = update
        self.dynamic = list(dynamic)
        self.dpi = dpi or fig.dpi
        fig.set_dpi(self.dpi)
        self.canvas = FigureCanvasAgg(fig)
        for artist in self.dynamic:
            artist.set_animated(True)  # left out of the background, drawn on top each time
        self._background = None
        self.values = {s.name: s.value for s in self.sliders}
        self.update(**self.values)

    def update(self, **values: float) -> None:
        """The slider callback: a plain function of the slider values."""
        unknown = set(values) - {s.name for s in self.sliders}
        if unknown:
            names = [s.name for s in self.sliders]
            raise ValueError(f"values must name sliders {names}, got {sorted(unknown)}")
        self.values.update(values)
        self._update(**self.values)

    def render_rgba(self) -> np.ndarray:
        if self._background is None:
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self.dynamic:
            self.fig.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())

    def render_png(self) -> bytes:
        """PNG bytes of the current state (fast PNG settings: the picture is the same)."""
        buf = io.BytesIO()
        Image.fromarray(self.render_rgba()).save(buf, format="png", compress_level=1)
        return buf.getvalue()


def interactive(live: LiveFigure, *, height: str | None = None):
    """Sliders + a fixed-height output that shows ``live`` after every move."""
    import ipywidgets as W
    from IPython.display import Image as IPImage
    from IPython.display import display

    controls = {
        s.name: W.FloatSlider(value=s.value, min=s.low, max=s.high, step=s.step, description=s.label,
                              continuous_update=True, readout_format=".2f",
                              style={"description_width": "initial"})
        for s in live.sliders
    }

    def show(**values):
        live.update(**values)
        display(IPImage(data=live.render_png()))

    out = W.interactive_output(show, controls)
    px = height or f"{int(live.fig.get_figheight() * live.dpi) + 20}px"
    out.layout = W.Layout(height=px, overflow="hidden")
    return W.VBox([W.HBox(list(controls.values())), out])


def strip(make: Callable[[], LiveFigure], settings: Sequence[dict], *, columns: int | None = None):
    """The static companion: ``make()`` rendered at each of ``settings``, tiled into one image.

    Returns an ``IPython.display.Image`` (PNG) so it shows in a notebook and on GitHub.
    """
    from IPython.display import Image as IPImage

    if not settings:
        raise ValueError("settings must hold at least one dict of slider values, got []")
    live = make()
    tiles = []
    for values in settings:
        live.update(**values)
        tiles.append(Image.fromarray(live.render_rgba().copy()))
    cols = columns or len(tiles)
    rows = -(-len(tiles) // cols)
    w, h = tiles[0].size
    sheet = Image.new("RGBA", (cols * w, rows * h), "white")
    for i, tile in enumerate(tiles):
        sheet.paste(tile, ((i % cols) * w, (i // cols) * h))
    buf = io.BytesIO()
    sheet.convert("RGB").save(buf, format="png", optimize=True)
    return IPImage(data=buf.getvalue())
