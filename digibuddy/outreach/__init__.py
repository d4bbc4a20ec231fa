"""Messages from a network's coordinators to its digibuddies: to all or a group, and cover for a drop-in."""
