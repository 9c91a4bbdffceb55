"""The parts of the Colab-like notebook run; tools/colab_sim.py puts them together (and is the CLI).

* :mod:`tools.colab.env` -- the Colab-like environment: create, freeze, reuse (``ensure_env``);
* :mod:`tools.colab.fonts` -- find the machine's CJK fonts and hide them (mount namespace);
* :mod:`tools.colab.snapshot` -- the repository pip installs, the git redirect, a fake google.colab;
* :mod:`tools.colab.checks` -- the probe cells and the checks on each executed notebook and on pip.
"""
