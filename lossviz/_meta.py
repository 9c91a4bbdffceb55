"""Project-wide settings read by the notebook build, the first notebook cell and the tests."""

# The one place that names the public repository: Colab badges and the Colab install use it.
REPOSITORY_URL = "https://github.com/lossviz/lossviz"
DEFAULT_BRANCH = "main"
LANGS = ("zh-TW", "zh-CN")
