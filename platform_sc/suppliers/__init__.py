"""Supplier performance rating, grading and qualification (companion method A)."""
from .rating import (GRADES, GradeRule, RatingWeights, SEVERITY_POINTS, composite_scores, exclude_graded,
                     grade_suppliers, nonconformity_scores)

__all__ = ["GRADES", "GradeRule", "RatingWeights", "SEVERITY_POINTS", "composite_scores", "exclude_graded",
           "grade_suppliers", "nonconformity_scores"]
