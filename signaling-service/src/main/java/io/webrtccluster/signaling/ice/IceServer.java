package io.webrtccluster.signaling.ice;

import java.util.List;

/** One RTCIceServer as the browser takes it; username/credential only for TURN. */
public record IceServer(List<String> urls, String username, String credential) {
}
