package io.webrtccluster.natlab;

import java.util.Map;

/**
 * What one browser saw of its peer: the selected ICE candidate pair and media progress, from the demo's mediaReport.
 *
 * @param connectionState  RTCPeerConnection state
 * @param localType        host|srflx|prflx|relay of the selected pair's local candidate (null before selection)
 * @param remoteType       the same for the remote candidate
 * @param framesDecoded    video frames decoded from the peer
 * @param audioBytes       audio bytes received from the peer
 */
record PeerPath(String peerId, String connectionState, String localType, String remoteType, long framesDecoded, long audioBytes) {

    static final PeerPath NONE = new PeerPath(null, "none", null, null, 0, 0);

    /** The single remote peer in a two-party mesh report, or {@link #NONE} before it appears. */
    @SuppressWarnings("unchecked")
    static PeerPath from(Map<String, Object> report) {
        Object peers = report.get("peers");
        if (!(peers instanceof Map<?, ?> byId) || byId.isEmpty()) {
            return NONE;
        }
        var entry = ((Map<String, Object>) byId).entrySet().iterator().next();
        Map<String, Object> p = (Map<String, Object>) entry.getValue();
        return new PeerPath(entry.getKey(), String.valueOf(p.get("connectionState")), (String) p.get("localCandidateType"),
                (String) p.get("remoteCandidateType"), number(p.get("videoFramesDecoded")), number(p.get("audioBytesReceived")));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    boolean mediaFlows() {
        return "connected".equals(connectionState) && framesDecoded > 0 && audioBytes > 0;
    }

    boolean relayed() {
        return "relay".equals(localType) || "relay".equals(remoteType);
    }

    String pair() {
        return localType == null ? "-" : localType + "->" + remoteType;
    }
}
