"""Area subscriptions and report followers: confirmation, unsubscribe, daily digests."""
