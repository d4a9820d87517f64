"""Displays that quizzes call. Nothing heavy is imported at module import, and under nbgrader
they show text only, so quizzes autograde fast."""
