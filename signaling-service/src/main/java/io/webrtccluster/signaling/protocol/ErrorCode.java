package io.webrtccluster.signaling.protocol;

/**
 * Errors the server sends as {@code {"type":"error","code":...,"message":...}}. {@link #closes()} says
 * whether the connection is closed afterwards (with {@link #closeCode()}); the others leave it and the
 * room as they were.
 */
public enum ErrorCode {
    BAD_JSON("bad-json", 0),
    BAD_MESSAGE("bad-message", 0),
    UNKNOWN_TYPE("unknown-type", 0),
    TOO_LARGE("too-large", 0),
    RATE_LIMITED("rate-limited", 0),
    NOT_JOINED("not-joined", 0),
    ALREADY_JOINED("already-joined", 0),
    UNKNOWN_PARTICIPANT("unknown-participant", 0),
    FORBIDDEN("forbidden", 0),
    UNAVAILABLE("unavailable", 0),
    UNSUPPORTED_VERSION("unsupported-version", 4000),
    UNAUTHORIZED("unauthorized", 4001),
    WRONG_ROOM("wrong-room", 4003),
    ROOM_FULL("room-full", 4004),
    REPLACED("replaced", 4009),
    JOIN_TIMEOUT("join-timeout", 4008),
    TOO_MANY_ATTEMPTS("too-many-attempts", 4029),
    FLOOD("flood", 1008);

    private final String wire;
    private final int closeCode;

    ErrorCode(String wire, int closeCode) {
        this.wire = wire;
        this.closeCode = closeCode;
    }

    public String wire() {
        return wire;
    }

    public boolean closes() {
        return closeCode != 0;
    }

    public int closeCode() {
        return closeCode;
    }
}
