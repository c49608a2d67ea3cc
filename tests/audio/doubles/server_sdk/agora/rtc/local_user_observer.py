"""``IRTCLocalUserObserver``: every callback defaults to doing nothing."""


class IRTCLocalUserObserver:
    def on_audio_volume_indication(self, agora_local_user, speakers, speaker_number, total_volume):
        pass

    def on_active_speaker(self, agora_local_user, userId):
        pass

    def on_user_audio_track_subscribed(self, agora_local_user, user_id, agora_remote_audio_track):
        pass
