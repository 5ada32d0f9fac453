"""evalkit: an evaluation workbench for Indonesian regional innovation (inovasi daerah)."""


def __getattr__(name: str) -> str:
    """``evalkit.__version__``, read from the installed metadata only when asked for (loading
    importlib.metadata would slow every ``evalkit`` command down)."""
    if name != "__version__":
        raise AttributeError(f"module 'evalkit' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("evalkit")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"
