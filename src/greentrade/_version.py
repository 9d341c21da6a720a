# The single source of the version: pyproject.toml reads it from here ([tool.hatch.version]).
# A constant rather than importlib.metadata.version(), whose import costs more than 20 ms.
__version__ = "0.3.0"
