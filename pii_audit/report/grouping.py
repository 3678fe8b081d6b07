"""How the terminal report lists files; its own module so that the command line's options name it
without importing the terminal renderer (rich tables) on runs that print JSON."""

from __future__ import annotations

from enum import Enum


class GroupBy(str, Enum):
    """How the terminal lists files: one ranked table, or a table per owner or per folder."""

    none = "none"
    owner = "owner"
    folder = "folder"
