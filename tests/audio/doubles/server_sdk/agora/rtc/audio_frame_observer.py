"""``IAudioFrameObserver``: every callback defaults to accepting the frame."""


class IAudioFrameObserver:
    def on_record_audio_frame(self, agora_local_user, channelId, frame):
        return 1

    def on_playback_audio_frame(self, agora_local_user, channelId, frame):
        return 1

    def on_mixed_audio_frame(self, agora_local_user, channelId, frame):
        return 1

    def on_playback_audio_frame_before_mixing(
        self, agora_local_user, channelId, uid, frame, vad_result_state, vad_result_bytearray
    ):
        return 1
