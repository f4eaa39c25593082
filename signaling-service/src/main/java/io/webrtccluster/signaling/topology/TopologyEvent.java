package io.webrtccluster.signaling.topology;

/** What made a replica look at a room's topology. */
public enum TopologyEvent {
    JOIN,
    LEAVE,
    /** A participant's target path decodes from everyone ({@code topology-ready}). */
    READY,
    /** A participant could not bring up the target path ({@code topology-failed}). */
    FAILED,
    /** The periodic check: hysteresis and switch deadlines. */
    TICK
}
