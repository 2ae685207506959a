"""Placeholder: filled by its capability of issue 14."""
