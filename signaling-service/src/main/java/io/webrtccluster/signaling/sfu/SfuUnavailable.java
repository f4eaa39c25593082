package io.webrtccluster.signaling.sfu;

/** No SFU worker can serve the room right now (none registered, all draining, or the worker refused). */
public class SfuUnavailable extends RuntimeException {
    public SfuUnavailable(String message) {
        super(message, null, false, false);
    }
}
