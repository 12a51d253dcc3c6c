"""The published site for schools: home page, latest/, every release, the feed."""
