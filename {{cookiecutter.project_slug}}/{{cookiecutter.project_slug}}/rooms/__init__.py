"""Chat rooms over WebSockets: an example of Channels consumers and groups."""
