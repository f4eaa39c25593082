package io.webrtccluster.contracts.store;

/**
 * The Redis key layout shared by signaling, sfu-worker and operator. Every key is named after what
 * it holds; all keys of one room share the hash tag {@code {room}} so a Redis Cluster keeps a room's
 * keys on one shard and multi-key scripts stay legal.
 */
public final class RedisKeys {
    public static final String PREFIX = "wrc:";

    private RedisKeys() {
    }

    /** Set of room ids that currently have members (the presence reaper walks it). */
    public static String activeRooms() {
        return PREFIX + "rooms";
    }

    /** Hash: the room's declared policy, see {@link io.webrtccluster.contracts.room.RoomPolicy#toHash()}. Written by the operator. */
    public static String roomPolicy(String roomId) {
        return PREFIX + "room:{" + roomId + "}:policy";
    }

    /** Hash: participant id -> member record (JSON) for everyone currently in the room. */
    public static String roomMembers(String roomId) {
        return PREFIX + "room:{" + roomId + "}:members";
    }

    /** Sorted set: participant id -> last heartbeat (epoch millis). Members whose score is older than the presence TTL are reaped. */
    public static String roomPresence(String roomId) {
        return PREFIX + "room:{" + roomId + "}:presence";
    }

    /**
     * Hash: live room state, read back by the operator into Room status: {@code participants}, {@code updatedAt},
     * and the topology state machine's fields ({@code topology}, {@code epoch}, {@code target}, {@code lastSwitch*},
     * {@code version}, ...; written only by compare-and-set on {@code version}).
     */
    public static String roomState(String roomId) {
        return PREFIX + "room:{" + roomId + "}:state";
    }

    /** Set with TTL: participants whose target path of topology switch {@code epoch} decodes from everyone (READY). */
    public static String topologyReady(String roomId, long epoch) {
        return PREFIX + "room:{" + roomId + "}:ready:" + epoch;
    }

    /** Stream: the participant's inbox. Every message addressed to a participant is appended here first, so a resumed session replays what it missed. */
    public static String inbox(String roomId, String participantId) {
        return PREFIX + "room:{" + roomId + "}:inbox:" + participantId;
    }

    /** Pub/sub channel that wakes up whichever replica currently holds the participant's socket. */
    public static String participantChannel(String roomId, String participantId) {
        return PREFIX + "room:{" + roomId + "}:p:" + participantId;
    }

    /** Hash with TTL: a signaling session (room, participant, connection) that a reconnecting client resumes. */
    public static String session(String sessionId) {
        return PREFIX + "session:" + sessionId;
    }

    /**
     * Pub/sub channel on which signaling announces that a room's membership or topology changed
     * (payload: the room id). The operator listens here instead of polling Redis.
     */
    public static String roomEvents() {
        return PREFIX + "room-events";
    }

    /** String: id of the SFU worker that serves the room's SFU transports (set by signaling on first need). */
    public static String roomSfuWorker(String roomId) {
        return PREFIX + "room:{" + roomId + "}:sfu-worker";
    }

    /**
     * Hash: a TurnPool's client-facing URLs and current secret ({@link io.webrtccluster.contracts.turn.TurnPoolRecord}),
     * written by the operator; rooms name their pool in their policy. Key: {@code <namespace>/<name>} of the TurnPool.
     */
    public static String turnPool(String pool) {
        return PREFIX + "turnpool:" + pool;
    }

    /** Set of live SFU worker ids. */
    public static String sfuWorkers() {
        return PREFIX + "sfu:workers";
    }

    /**
     * Pub/sub channel on which an SFU worker announces that it stops (payload: its id), so signaling
     * moves its rooms at once instead of waiting for the registration to expire.
     */
    public static String sfuWorkerEvents() {
        return PREFIX + "sfu:worker-events";
    }

    /** Hash with TTL: one SFU worker's registration and load, see {@link io.webrtccluster.contracts.sfu.WorkerRecord}. Expires when its heartbeat stops. */
    public static String sfuWorker(String workerId) {
        return PREFIX + "sfu:worker:" + workerId;
    }

    /** String with TTL: which replica currently runs the presence reaper (a lease, SET NX PX). */
    public static String reaperLease() {
        return PREFIX + "lease:presence-reaper";
    }
}
