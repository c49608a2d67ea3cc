"""``IRTCConnectionObserver``: every callback defaults to doing nothing."""


class IRTCConnectionObserver:
    def on_connected(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_disconnected(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_connecting(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_reconnecting(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_reconnected(self, agora_rtc_conn, conn_info, reason):
        pass

    def on_connection_lost(self, agora_rtc_conn, conn_info):
        pass

    def on_lastmile_quality(self, agora_rtc_conn, quality):
        pass

    def on_token_privilege_will_expire(self, agora_rtc_conn, token):
        pass

    def on_token_privilege_did_expire(self, agora_rtc_conn):
        pass

    def on_connection_failure(self, agora_rtc_conn, info, reason):
        pass

    def on_user_joined(self, agora_rtc_conn, user_id):
        pass

    def on_user_left(self, agora_rtc_conn, user_id, reason):
        pass

    def on_error(self, agora_rtc_conn, error_code, error_msg):
        pass
