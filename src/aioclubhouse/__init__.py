"""aioclubhouse: the asyncio SDK for the Clubhouse audio-room API."""
