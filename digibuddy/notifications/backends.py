"""Choosing a delivery backend by a short name or by `package.module:ClassName` (a provider's own)."""

import importlib


def load_backend(value: str | None, builtin: dict[str, type], default: str) -> type:
    """The backend class that a setting names: one of `builtin`, or an importable class."""
    name = (value or default).strip()
    if name in builtin:
        return builtin[name]
    module_name, _, class_name = name.partition(":")
    if not class_name:
        raise ValueError(
            f"unknown backend {name!r}: use one of {', '.join(builtin)} or package.module:ClassName"
        )
    return getattr(importlib.import_module(module_name), class_name)
