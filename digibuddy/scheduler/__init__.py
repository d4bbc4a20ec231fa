"""The scheduler process (`flask scheduler run`): APScheduler triggers, each job run once per due time."""
