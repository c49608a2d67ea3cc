"""Double of ``agora.rtc``."""
