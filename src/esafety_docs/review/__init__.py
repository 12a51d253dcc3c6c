"""The Word review round trip: a review copy of each document that remembers where
every paragraph came from, and the reviewed copy's changes and comments read back
into the sources."""
