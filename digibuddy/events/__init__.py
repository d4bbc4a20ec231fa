"""Learning-network events: network moments, trainings, info sessions and webinars organised by the
knowledge centre or a local network, with registration, a waiting list, invitations, reminders and
attendance."""
