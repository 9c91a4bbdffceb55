/* lossviz static site: drag a figure's sliders without a kernel.
   Each .lossviz-slider holds one <input type="range"> per slider (value = index into that
   slider's precomputed values, listed in data-values) and an <img>; the frames are
   data-frames + N + ".png", N the row-major index over the sliders (the first one slowest).
   A figure's frames are requested the first time one of its sliders is touched.  No library. */
(function () {
  "use strict";
  function setUp(box) {
    var img = box.querySelector("img.lossviz-slider-frame");
    var inputs = Array.prototype.slice.call(box.querySelectorAll('input[type="range"]'));
    var base = box.getAttribute("data-frames");
    var preloaded = false;
    var cache = [];
    function frame() {
      var n = 0;
      inputs.forEach(function (input) { n = n * (Number(input.max) + 1) + Number(input.value); });
      return n;
    }
    function show() {
      inputs.forEach(function (input) {
        var out = input.parentNode.querySelector("output");
        if (out) { out.textContent = input.getAttribute("data-values").split(",")[Number(input.value)]; }
      });
      img.src = base + frame() + ".png";
    }
    function preload() {
      if (preloaded) { return; }
      preloaded = true;
      var total = inputs.reduce(function (n, input) { return n * (Number(input.max) + 1); }, 1);
      for (var i = 0; i < total; i++) { var im = new Image(); im.src = base + i + ".png"; cache.push(im); }
    }
    inputs.forEach(function (input) {
      input.addEventListener("input", show);
      input.addEventListener("change", show);
      input.addEventListener("focus", preload);
      input.addEventListener("pointerdown", preload);
    });
  }
  function start() { Array.prototype.forEach.call(document.querySelectorAll(".lossviz-slider"), setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
