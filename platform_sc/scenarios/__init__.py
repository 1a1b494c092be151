"""Scenario generation: the paper's configurations (generator) and factor grids (grid)."""
from .generator import CONFIGS, generate, point_id
from .grid import expand, instance_for, load_grid

__all__ = ["CONFIGS", "generate", "point_id", "expand", "instance_for", "load_grid"]
