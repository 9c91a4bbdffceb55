"""Maintainer tools: the notebook build (zh-TW source -> executed zh-TW and zh-CN notebooks)."""
