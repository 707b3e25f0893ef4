"""Settings: defaults, test and production, every one overridable by an environment variable."""
from config.settings import ConfigError, config_for_tests, load_config

__all__ = ["ConfigError", "config_for_tests", "load_config"]
