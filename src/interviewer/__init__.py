"""interviewer: mock ML system design interviews, offline by default."""

__version__ = "0.1.0"
