package io.webrtccluster.signaling.topology;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.Topology;
import io.webrtccluster.contracts.sfu.RoomAudioRequest;
import io.webrtccluster.signaling.config.SignalingConfig;
import io.webrtccluster.signaling.protocol.Messages;
import io.webrtccluster.signaling.relay.Relay;
import io.webrtccluster.signaling.room.Member;
import io.webrtccluster.signaling.room.RoomStore;
import io.webrtccluster.signaling.sfu.SfuBridge;

/**
 * Runs each room's {@link TopologyMachine} against the shared state. Any replica may look at a room
 * (on a join, a leave, a READY, or its periodic tick); a change is written by compare-and-set on the
 * room's state version, so exactly one replica wins each change and only the winner tells the room
 * (PREPARE, COMMIT, ABORT). A replica that dies mid-switch leaves nothing stuck: the state and its
 * deadline are in Redis, and the next tick of any replica holding the room's sessions finishes it.
 */
@ApplicationScoped
public class TopologyCoordinator {
    private static final Logger LOG = Logger.getLogger(TopologyCoordinator.class);
    private static final int CAS_ATTEMPTS = 5;

    @Inject
    Vertx vertx;
    @Inject
    RoomStore rooms;
    @Inject
    TopologyStore states;
    @Inject
    Relay relay;
    @Inject
    SfuBridge sfu;
    @Inject
    SignalingConfig config;
    @Inject
    MeterRegistry metrics;

    /** Rooms with sessions on this replica: the tick looks at these (the sessions' owner supplies them). */
    private volatile Supplier<Set<String>> localRooms = Set::of;
    private volatile boolean ticking;

    void start(@Observes StartupEvent e) {
        vertx.setPeriodic(config.topology().tick().toMillis(), t -> tick());
    }

    public void watchRooms(Supplier<Set<String>> rooms) {
        this.localRooms = rooms;
    }

    /**
     * The state a joiner enters with. The first participant of an empty room starts it over in the
     * topology its policy gives one participant; later joiners get the room's state as it is. "First" is
     * checked again here: in a join burst the first joiner may get here after others joined and a switch
     * began, and starting the room over then would restart that switch under everyone's feet.
     */
    public CompletionStage<RoomTopology> stateForJoin(String roomId, RoomPolicy policy, boolean firstInRoom) {
        return states.read(roomId).thenCompose(s -> {
            Topology fresh = TopologyDecider.decide(policy, 1);
            if (s == null) {
                RoomTopology init = RoomTopology.initial(fresh);
                return states.compareAndSet(roomId, 0, init).thenCompose(ok -> ok ? CompletableFuture.completedFuture(init.withVersion(1))
                        : states.read(roomId));
            }
            if (!firstInRoom || !(s.preparing() || s.current() != fresh || s.belowSince() != 0 || s.heldSince() != 0)) {
                return CompletableFuture.completedFuture(s);
            }
            return rooms.members(roomId).thenCompose(members -> {
                if (members.size() > 1) {
                    return CompletableFuture.completedFuture(s); // no longer alone: the room goes on as it is
                }
                RoomTopology restarted = s.restart(fresh);
                return states.compareAndSet(roomId, s.version(), restarted).thenCompose(ok -> ok
                        ? CompletableFuture.completedFuture(restarted.withVersion(s.version() + 1)) : states.read(roomId));
            });
        });
    }

    public CompletionStage<RoomTopology> read(String roomId) {
        return states.read(roomId);
    }

    /** A participant's target path of switch {@code epoch} decodes from everyone. */
    public CompletionStage<Void> ready(String roomId, long epoch, String participantId) {
        return states.read(roomId).thenCompose(s -> s == null || !s.preparing() || s.epoch() != epoch
                ? CompletableFuture.<Void>completedFuture(null) // stale: that switch is over
                : states.markReady(roomId, epoch, participantId).thenCompose(v -> evaluate(roomId, TopologyEvent.READY)));
    }

    /** A participant could not bring up the target path of switch {@code epoch}. */
    public CompletionStage<Void> failed(String roomId, long epoch, String participantId, String reason) {
        return states.read(roomId).thenCompose(s -> {
            if (s == null || !s.preparing() || s.epoch() != epoch) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            LOG.infof("room %s: %s could not bring up %s (%s)", roomId, participantId, s.target().wireName(), reason);
            return evaluate(roomId, TopologyEvent.FAILED);
        });
    }

    /** Looks at the room now; if something changes and this replica wins the write, it tells the room. */
    public CompletionStage<Void> evaluate(String roomId, TopologyEvent event) {
        return attempt(roomId, event, CAS_ATTEMPTS).exceptionally(e -> {
            LOG.debugf("room %s: topology check failed: %s", roomId, e.getMessage());
            return null;
        });
    }

    private CompletionStage<Void> attempt(String roomId, TopologyEvent event, int attemptsLeft) {
        return states.read(roomId).thenCompose(s -> {
            if (s == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            return rooms.policy(roomId).thenCompose(policy -> rooms.members(roomId).thenCompose(members -> {
                return observe(roomId, s, policy, members, event).thenCompose(o -> {
                    Transition t = TopologyMachine.next(s, o);
                    if (t.action() == Transition.Action.NONE) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return states.compareAndSet(roomId, s.version(), t.next()).thenCompose(won -> {
                        if (won) {
                            return act(roomId, s, t.next().withVersion(s.version() + 1), t.action(), members, policy);
                        }
                        // Another replica changed the room first: look again at what it wrote.
                        return attemptsLeft > 1 ? attempt(roomId, event, attemptsLeft - 1) : CompletableFuture.<Void>completedFuture(null);
                    });
                });
            }));
        });
    }

    private CompletionStage<Observation> observe(String roomId, RoomTopology s, RoomPolicy policy, List<Member> members,
                                                 TopologyEvent event) {
        long now = System.currentTimeMillis();
        long timeout = config.topology().prepareTimeout().toMillis();
        Topology desired = TopologyDecider.decide(policy, members.size());
        CompletionStage<Boolean> sfuOk = desired != Topology.MESH && !s.preparing() ? sfu.hasCapacity(roomId)
                : CompletableFuture.completedFuture(true);
        CompletionStage<Boolean> allReady = s.preparing() ? states.ready(roomId, s.epoch()).thenApply(ready -> {
            Set<String> ids = new HashSet<>();
            members.forEach(m -> ids.add(m.id()));
            return !ids.isEmpty() && ready.containsAll(ids);
        }) : CompletableFuture.completedFuture(false);
        return sfuOk.thenCombine(allReady, (ok, ready) -> new Observation(policy, members.size(), ready, ok, now, event, timeout));
    }

    /** This replica won the change: tell every member, and release SFU transports the room no longer uses. */
    private CompletionStage<Void> act(String roomId, RoomTopology before, RoomTopology after, Transition.Action action,
                                      List<Member> members, RoomPolicy policy) {
        if (action != Transition.Action.COMMIT) {
            return act(roomId, before, after, action, members, policy, Set.of());
        }
        return states.ready(roomId, before.epoch()).thenCompose(ready -> act(roomId, before, after, action, members, policy,
                members.stream().map(Member::id).filter(id -> !ready.contains(id)).collect(Collectors.toSet())));
    }

    private CompletionStage<Void> act(String roomId, RoomTopology before, RoomTopology after, Transition.Action action,
                                      List<Member> members, RoomPolicy policy, Set<String> late) {
        String message = switch (action) {
            case PREPARE -> {
                LOG.infof("room %s: switching %s -> %s at %d participants (epoch %d)", roomId, after.current().wireName(),
                        after.target().wireName(), members.size(), after.epoch());
                yield Messages.topologyPrepare(after.epoch(), after.target(), after.current());
            }
            case COMMIT -> {
                RoomTopology.Switch done = after.lastSwitch();
                metrics.counter("wrc_signaling_topology_switches_total", "to", done.to().wireName()).increment();
                LOG.infof("room %s: switched to %s at %d participants in %d ms (epoch %d)", roomId, done.to().wireName(),
                        done.participants(), done.durationMillis(), after.epoch());
                yield Messages.topologyCommit(after.epoch(), done.to(), done.durationMillis(), done.participants(), late);
            }
            case ABORT -> {
                String why = before.target() == Topology.MESH ? "not every participant reached everyone directly in time"
                        : before.current().usesWorker() ? "the room's size changed back, or not every participant received the "
                        + (before.target() == Topology.MCU ? "mix" : "speakers' own audio") + " in time"
                        : "a participant could not reach the SFU";
                metrics.counter("wrc_signaling_topology_aborts_total", "to", before.target().wireName()).increment();
                LOG.infof("room %s: switch to %s aborted (%s); staying on %s", roomId, before.target().wireName(), why,
                        after.current().wireName());
                yield Messages.topologyAbort(after.epoch(), after.current(), before.target(), why);
            }
            case HELD -> {
                LOG.infof("room %s: %d participants want the SFU but no worker can take the room; staying on mesh",
                        roomId, members.size());
                yield Messages.topologyHeld(after.current(), Topology.SFU,
                        "no SFU worker is available; the room stays peer to peer until one is");
            }
            default -> null;
        };
        if (message == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> told = broadcast(roomId, members, message);
        String audio = audioStep(before, after, action);
        if (audio != null) {
            // After the broadcast: clients know the switch before the worker's offers carrying it arrive.
            told = told.thenCompose(v -> sfu.routeAudio(roomId, audio, policy.mixerSpeakers()).exceptionally(e -> {
                LOG.warnf("room %s: could not route audio as %s on its worker: %s", roomId, audio, e.getMessage());
                return null;
            }));
        }
        boolean sfuDone = (action == Transition.Action.COMMIT && after.current() == Topology.MESH)
                || (action == Transition.Action.ABORT && before.target().usesWorker() && !after.current().usesWorker());
        if (sfuDone) {
            told = told.thenCompose(v -> sfu.closeRoom(roomId, members.stream().map(Member::id).toList()));
        }
        return told;
    }

    /**
     * A switch between SFU and MCU runs on the worker the room already uses, as steps of how it routes audio:
     * both forwarded and mixed while clients change over (PREPARE), then only the committed one, or back to the
     * one an abort keeps. Null when the change does not touch the worker's audio.
     */
    static String audioStep(RoomTopology before, RoomTopology after, Transition.Action action) {
        return switch (action) {
            case PREPARE -> before.current().usesWorker() && after.target().usesWorker() ? RoomAudioRequest.BOTH : null;
            case COMMIT -> before.current().usesWorker() && before.target().usesWorker() ? routing(after.current()) : null;
            case ABORT -> before.current().usesWorker() && before.target().usesWorker() ? routing(after.current()) : null;
            default -> null;
        };
    }

    private static String routing(Topology t) {
        return t == Topology.MCU ? RoomAudioRequest.MIXED : RoomAudioRequest.FORWARDED;
    }

    /** Tells every member; one failed delivery does not stop the rest (or the SFU clean-up after it). */
    private CompletionStage<Void> broadcast(String roomId, List<Member> members, String json) {
        return relay.deliverToAll(roomId, members.stream().map(Member::id).toList(), json).exceptionally(e -> null);
    }

    /** Hysteresis and switch deadlines: rooms with a timer running get another look. */
    private void tick() {
        Set<String> rooms = localRooms.get();
        if (ticking || rooms.isEmpty()) {
            return;
        }
        ticking = true;
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (String room : rooms) {
            chain = chain.thenCompose(v -> states.read(room).thenCompose(s -> s != null
                    && (s.preparing() || s.belowSince() != 0 || s.heldSince() != 0)
                    ? evaluate(room, TopologyEvent.TICK) : CompletableFuture.<Void>completedFuture(null))
                    .toCompletableFuture().exceptionally(e -> null));
        }
        chain.whenComplete((v, e) -> ticking = false);
    }
}
