package io.webrtccluster.signaling.topology;

import java.util.LinkedHashMap;
import java.util.Map;

import io.webrtccluster.contracts.room.Topology;

/**
 * A room's live topology: what its media runs on now, and the switch in progress, if any. Stored as
 * the room's state hash in Redis; every change bumps {@code version}, which writers compare-and-set on.
 *
 * @param current         the topology everyone runs (or, while preparing, still runs)
 * @param epoch           number of the latest switch; every switch message carries it, so stale ones are dropped
 * @param target          while preparing: the topology being brought up; null when stable
 * @param deadline        while preparing: when the switch commits or aborts without waiting for everyone (epoch millis)
 * @param switchStartedAt while preparing: when the switch was decided
 * @param belowSince      auto rooms on an SFU: since when the room has been at or below its mesh threshold (0: it is not)
 * @param heldSince       when a wanted switch could not start (no SFU capacity), so it is announced once; 0 otherwise
 * @param lastSwitch      the last completed switch, for status and events; null before the first
 * @param version         bumped on every write (compare-and-set)
 */
public record RoomTopology(Topology current, long epoch, Topology target, long deadline, long switchStartedAt,
                           long belowSince, long heldSince, Switch lastSwitch, long version) {

    /** A completed switch: from, to, when, at how many participants, and how long it took. */
    public record Switch(Topology from, Topology to, long at, int participants, long durationMillis) {
    }

    public static RoomTopology initial(Topology topology) {
        return new RoomTopology(topology, 0, null, 0, 0, 0, 0, null, 0);
    }

    public boolean preparing() {
        return target != null;
    }

    /** What a participant joining now runs: the target of a switch in progress, otherwise the current topology. */
    public Topology forJoiner() {
        return preparing() ? target : current;
    }

    RoomTopology prepare(Topology to, long now, long timeoutMillis) {
        return new RoomTopology(current, epoch + 1, to, now + timeoutMillis, now, 0, 0, lastSwitch, version);
    }

    RoomTopology commit(long now, int participants) {
        Switch done = new Switch(current, target, now, participants, now - switchStartedAt);
        return new RoomTopology(target, epoch, null, 0, 0, 0, 0, done, version);
    }

    RoomTopology abort(long now) {
        // Going down failed: wait a whole hysteresis period before trying again.
        boolean down = target.ordinal() < current.ordinal();
        return new RoomTopology(current, epoch, null, 0, 0, down ? now : 0, down ? 0 : now, lastSwitch, version);
    }

    RoomTopology withBelowSince(long t) {
        return new RoomTopology(current, epoch, target, deadline, switchStartedAt, t, heldSince, lastSwitch, version);
    }

    RoomTopology withHeldSince(long t) {
        return new RoomTopology(current, epoch, target, deadline, switchStartedAt, belowSince, t, lastSwitch, version);
    }

    /** A room that emptied starts over in {@code topology} (the epoch keeps counting, so old messages stay stale). */
    RoomTopology restart(Topology topology) {
        return new RoomTopology(topology, epoch + 1, null, 0, 0, 0, 0, lastSwitch, version);
    }

    /** Same state apart from the version. */
    boolean sameAs(RoomTopology o) {
        return o != null && withVersion(0).equals(o.withVersion(0));
    }

    RoomTopology withVersion(long v) {
        return new RoomTopology(current, epoch, target, deadline, switchStartedAt, belowSince, heldSince, lastSwitch, v);
    }

    /** The hash fields; {@code topology} and the {@code lastSwitch*} fields are what the operator reads into Room status. */
    public Map<String, String> toHash() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("topology", current.wireName());
        h.put("epoch", Long.toString(epoch));
        h.put("target", target == null ? "" : target.wireName());
        h.put("deadline", Long.toString(deadline));
        h.put("switchStartedAt", Long.toString(switchStartedAt));
        h.put("belowSince", Long.toString(belowSince));
        h.put("heldSince", Long.toString(heldSince));
        if (lastSwitch != null) {
            h.put("lastSwitchFrom", lastSwitch.from().wireName());
            h.put("lastSwitchTo", lastSwitch.to().wireName());
            h.put("lastSwitchAt", Long.toString(lastSwitch.at()));
            h.put("lastSwitchParticipants", Integer.toString(lastSwitch.participants()));
            h.put("lastSwitchMillis", Long.toString(lastSwitch.durationMillis()));
        }
        return h;
    }

    /** Parses the state hash; null when the room has no topology yet. Records written before live switching read as stable. */
    public static RoomTopology fromHash(Map<String, String> h) {
        if (h == null || !h.containsKey("topology")) {
            return null;
        }
        Switch last = h.containsKey("lastSwitchTo") ? new Switch(Topology.fromWire(h.get("lastSwitchFrom")),
                Topology.fromWire(h.get("lastSwitchTo")), num(h, "lastSwitchAt"), (int) num(h, "lastSwitchParticipants"),
                num(h, "lastSwitchMillis")) : null;
        String target = h.getOrDefault("target", "");
        return new RoomTopology(Topology.fromWire(h.get("topology")), num(h, "epoch"),
                target.isEmpty() ? null : Topology.fromWire(target), num(h, "deadline"), num(h, "switchStartedAt"),
                num(h, "belowSince"), num(h, "heldSince"), last, num(h, "version"));
    }

    private static long num(Map<String, String> h, String k) {
        String v = h.get(k);
        return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
    }
}
