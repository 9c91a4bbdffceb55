"""Sliders that move figures in place and their static companions.

A :class:`LiveFigure` is built once.  Its ``update(**values)`` is a plain function (the
slider callback; tests call it directly) that changes the data of existing artists with
``set_data`` / ``set_text``.  ``render_png()`` redraws only those artists over a cached
background (the axes, ticks, labels and legends do not move because the limits are fixed),
then encodes the canvas as PNG — what the notebook shows after each slider move.

In a notebook, :func:`interactive` shows ipywidgets sliders above an ``ipywidgets.Image``.
Each frame travels as binary (the image's ``value``, PNG bytes, is replaced: no base64, no
output area re-rendered).  Slider moves do not draw in the kernel's message handler: they
hand the values to a :class:`LatestOnly` drawer, whose thread draws the newest values only —
values that arrive while a frame is being drawn replace one another, so a fast drag ends on
the final value one frame later instead of after every intermediate frame.  Works with
ipywidgets 7.7.1 (Colab) and 8.x (JupyterLab).  The output also carries
``application/vnd.lossviz.slider+json`` (:data:`SLIDER_MIME`: the registered figure id, its
keyword arguments and the sliders), which the static site reads to precompute frames.
:func:`strip` is the static companion: the same figure at several parameter values, tiled
into one image that reads without a kernel (GitHub, print, a projector).
"""

from __future__ import annotations

import io
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

SLIDER_MIME = "application/vnd.lossviz.slider+json"

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
        # set by lossviz.plots.register: the figure id and the keyword arguments it was made with
        self.figure_id: str | None = None
        self.figure_kwargs: dict = {}
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


class LatestOnly:
    """Calls ``draw(values)`` on a worker thread, always with the newest values submitted.

    ``submit`` only stores the values and wakes the worker, so the kernel's message handler
    returns at once and reads the next slider message.  Values submitted while a frame is
    being drawn replace one another: after a burst the worker draws the frame in progress,
    then the last values — never the ones in between.  ``draw`` errors go to ``on_error``.
    """

    def __init__(self, draw: Callable[[dict], None], on_error: Callable[[BaseException], None] | None = None):
        if not callable(draw):
            raise TypeError(f"draw must be callable, got {type(draw).__name__}")
        self._draw = draw
        self._on_error = on_error
        self._cond = threading.Condition()
        self._pending: dict | None = None
        self._busy = False
        self._thread: threading.Thread | None = None
        self.drawn = 0  # frames drawn (tests, benchmarks)

    def submit(self, values: dict) -> None:
        with self._cond:
            self._pending = dict(values)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lossviz-slider", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None:
                    self._cond.wait()
                values, self._pending = self._pending, None
                self._busy = True
            try:
                self._draw(values)
            except BaseException as exc:  # a broken figure: shown, and the next move still draws
                if self._on_error is not None:
                    self._on_error(exc)
            finally:
                with self._cond:
                    self._busy = False
                    self.drawn += 1
                    self._cond.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is pending or being drawn; False if ``timeout`` ran out first."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)


def slider_spec(live: LiveFigure) -> dict | None:
    """What the static site needs to redraw ``live``: figure id, keyword arguments, sliders.

    None when ``live`` was not made by a registered factory (``lossviz.plots.register``).
    """
    if not live.figure_id:
        return None
    return {"figure": live.figure_id, "kwargs": dict(live.figure_kwargs),
            "sliders": [asdict(s) for s in live.sliders]}


@cache
def _box_class():
    """A VBox whose display bundle also carries :data:`SLIDER_MIME` (ipywidgets 7 and 8)."""
    import ipywidgets as W
    from IPython.display import display

    class SliderBox(W.VBox):
        lossviz_spec: dict | None = None

        def _with_spec(self, data: dict) -> dict:
            if self.lossviz_spec is not None:
                data[SLIDER_MIME] = self.lossviz_spec
            return data

        if hasattr(W.VBox, "_repr_mimebundle_"):  # ipywidgets 8
            def _repr_mimebundle_(self, **kwargs):
                data = super()._repr_mimebundle_(**kwargs)
                return self._with_spec(dict(data)) if data else data

        if hasattr(W.VBox, "_ipython_display_"):  # ipywidgets 7: the same bundle as its own, plus ours
            def _ipython_display_(self, **kwargs):
                plaintext = repr(self)
                if len(plaintext) > 110:
                    plaintext = plaintext[:110] + "…"
                view = {"version_major": 2, "version_minor": 0, "model_id": self._model_id}
                display(self._with_spec({"text/plain": plaintext,
                                         "application/vnd.jupyter.widget-view+json": view}), raw=True)
                self._handle_displayed(**kwargs)

    return SliderBox


def interactive(live: LiveFigure, *, height: str | None = None):
    """Sliders above an image of ``live`` that follows every move (see the module's notes).

    ``height``: a CSS height for the image (default: the figure's own pixel height).
    """
    import ipywidgets as W

    if not isinstance(live, LiveFigure):
        raise TypeError(f"live must be a LiveFigure, got {type(live).__name__}")
    controls = [
        W.FloatSlider(value=s.value, min=s.low, max=s.high, step=s.step, description=s.label,
                      continuous_update=True, readout_format=".2f", style={"description_width": "initial"})
        for s in live.sliders
    ]
    px = height or f"{int(round(live.fig.get_figheight() * live.dpi))}px"
    live.update(**{s.name: c.value for s, c in zip(live.sliders, controls, strict=True)})
    image = W.Image(value=live.render_png(), format="png", layout=W.Layout(height=px, width="auto"))
    errors = W.Output()

    def draw(values: dict) -> None:
        live.update(**values)
        image.value = live.render_png()

    def report(exc: BaseException) -> None:
        errors.append_stderr("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))

    drawer = LatestOnly(draw, report)

    def moved(_change=None) -> None:
        drawer.submit({s.name: c.value for s, c in zip(live.sliders, controls, strict=True)})

    for control in controls:
        control.observe(moved, names="value")
    box = _box_class()([W.HBox(controls), image, errors])
    box.lossviz_spec = slider_spec(live)
    box.lossviz_drawer = drawer
    return box


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
