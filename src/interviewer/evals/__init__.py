"""The eval suite: judge agreement with human labels, baselines, interviewer checks, simulated candidates."""
