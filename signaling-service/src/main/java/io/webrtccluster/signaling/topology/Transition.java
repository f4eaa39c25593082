package io.webrtccluster.signaling.topology;

/** The state machine's answer: the next state and what the owner of the change tells the room. */
public record Transition(RoomTopology next, Action action) {

    public enum Action {
        /** Nothing changed. */
        NONE,
        /** State changed without a message (hysteresis started or was cancelled). */
        RECORD,
        /** Bring up the target path while the current one keeps flowing. */
        PREPARE,
        /** Switch over: old paths stop. */
        COMMIT,
        /** Stay on the current topology; drop the target path. */
        ABORT,
        /** A switch is wanted but cannot start (no SFU capacity): tell the room once. */
        HELD
    }

    static Transition none(RoomTopology s) {
        return new Transition(s, Action.NONE);
    }
}
