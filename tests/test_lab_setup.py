"""What `make install` registers for `make lab` (tools/lab_setup.py), checked without a server."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tools import build_notebooks as bn
from tools import lab_setup
from tools.convert import to_zh_cn

ROOT = Path(__file__).resolve().parents[1]


def test_kernelspec_installed_is_the_one_the_notebooks_name(tmp_path):
    kernel_json = json.loads((lab_setup.install_kernelspec(tmp_path) / "kernel.json").read_text(encoding="utf-8"))
    assert kernel_json["display_name"] == bn.KERNELSPEC["display_name"] == bn.KERNEL_DISPLAY_NAME
    assert kernel_json["language"] == bn.KERNELSPEC["language"]
    assert (tmp_path / "share/jupyter/kernels" / bn.KERNELSPEC["name"] / "kernel.json").is_file()
    assert bn.KERNELSPEC["name"] == "python3"  # what Colab, nbclient and nbval look for


def test_display_name_is_the_same_in_both_scripts():
    # one installed kernelspec names the kernel of both scripts' notebooks
    assert to_zh_cn(bn.KERNEL_DISPLAY_NAME) == bn.KERNEL_DISPLAY_NAME


@pytest.mark.parametrize("folder", ["zh-TW", "zh-CN", "solutions/zh-TW", "solutions/zh-CN"])
def test_built_notebooks_name_the_installed_kernel(folder):
    paths = sorted((ROOT / "notebooks" / folder).glob("*.ipynb"))
    assert paths
    for path in paths:
        assert nbformat.read(path, as_version=4).metadata.kernelspec == bn.KERNELSPEC, path.name


def test_overrides_silence_news_and_update_checks_and_keep_other_keys(tmp_path):
    path = lab_setup.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                                lab_setup.NOTIFICATION_PLUGIN: {"doNotDisturbMode": True}}), encoding="utf-8")
    assert lab_setup.write_overrides(tmp_path) == path
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data[lab_setup.NOTIFICATION_PLUGIN] == {"doNotDisturbMode": True, "fetchNews": "false",
                                                   "checkForUpdates": False}
    assert data["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    path.write_text("[1]", encoding="utf-8")
    with pytest.raises(ValueError, match="JSON object"):
        lab_setup.write_overrides(tmp_path)


def test_overrides_are_valid_for_the_installed_jupyterlab():
    """Each key is a property of the plugin's schema, and each value one the schema allows."""
    import jupyterlab
    from jupyterlab.commands import get_app_dir

    schemas = Path(get_app_dir()) / "schemas"
    if not schemas.is_dir():
        pytest.skip(f"JupyterLab {jupyterlab.__version__} has no schemas folder at {schemas}")
    for plugin, values in lab_setup.OVERRIDES.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text(encoding="utf-8"))
        for key, value in values.items():
            prop = schema["properties"][key]
            if "oneOf" in prop:
                assert value in [choice["const"] for choice in prop["oneOf"]], (key, value)
            else:
                assert isinstance(value, {"boolean": bool, "string": str}[prop["type"]]), (key, value)
    assert lab_setup.OVERRIDES[lab_setup.NOTIFICATION_PLUGIN]["fetchNews"] == "false"


def test_make_install_runs_the_lab_setup():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m tools.lab_setup" in makefile
    assert "--display-name" not in makefile  # one place names the kernel: tools.build_notebooks


def test_jupyterlab_server_reads_the_overrides_as_its_defaults(tmp_path):
    """jupyterlab_server (what `jupyter lab` serves settings with) turns overrides.json in the
    app settings folder (<prefix>/share/jupyter/lab/settings) into the plugin's defaults."""
    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import get_settings

    schemas = str(Path(get_app_dir()) / "schemas")

    def defaults(app_settings_dir: Path) -> dict:
        found, _ = get_settings(str(app_settings_dir), schemas, str(tmp_path / "user"),
                                schema_name=lab_setup.NOTIFICATION_PLUGIN)
        return {k: v.get("default") for k, v in found["schema"]["properties"].items()}

    assert defaults(tmp_path / "none")["fetchNews"] == "none"  # JupyterLab's own default: ask
    served = defaults(lab_setup.write_overrides(tmp_path).parent)
    assert served["fetchNews"] == "false" and served["checkForUpdates"] is False
