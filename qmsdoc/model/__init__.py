"""The shared model: loaded, validated sources as frozen dataclasses. No I/O here."""
