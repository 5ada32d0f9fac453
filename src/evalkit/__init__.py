"""evalkit: an evaluation workbench for Indonesian regional innovation (inovasi daerah)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("evalkit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
