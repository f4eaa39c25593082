package io.webrtccluster.operator.room;

import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.redis.RoomStore;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Turns signaling's room announcements ({@link RedisKeys#roomEvents()}, payload = room id) into reconciles of
 * the Rooms that declare that id. Nothing is polled: a quiet room costs nothing, on Redis or on the API server.
 * After a Redis outage every Room is looked at once, since announcements made meanwhile were lost.
 */
public class RoomEventSource extends AbstractEventSource<RoomRecord, Room> {

    static final String ROOM_ID_INDEX = "roomId";
    private static final Logger LOG = Logger.getLogger(RoomEventSource.class);

    private final String url;
    private final RoomStore store;
    private final IndexerResourceCache<Room> rooms;
    private final Map<String, RoomRecord> known = new ConcurrentHashMap<>();
    private volatile boolean connected;
    private volatile Thread listener;
    private volatile JedisPubSub subscription;

    public RoomEventSource(String url, RoomStore store, IndexerResourceCache<Room> rooms) {
        super(RoomRecord.class, "room-events");
        this.url = url;
        this.store = store;
        this.rooms = rooms;
        rooms.addIndexer(ROOM_ID_INDEX, room -> List.of(room.roomId()));
    }

    @Override
    public void start() {
        super.start();
        Thread t = new Thread(this::listen, "redis-room-events");
        t.setDaemon(true);
        listener = t;
        t.start();
    }

    @Override
    public void stop() {
        super.stop();
        Thread t = listener;
        listener = null;
        JedisPubSub s = subscription;
        if (s != null && s.isSubscribed()) {
            s.unsubscribe();
        }
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public Status getStatus() {
        return connected ? Status.HEALTHY : Status.UNHEALTHY;
    }

    @Override
    public Set<RoomRecord> getSecondaryResources(Room room) {
        RoomRecord r = known.get(room.roomId());
        return r == null ? Set.of() : Set.of(r);
    }

    public Optional<RoomRecord> lastKnown(String roomId) {
        return Optional.ofNullable(known.get(roomId));
    }

    /** The dependent reports what it wrote or read, so status and sizing never wait for a round trip. */
    void remember(RoomRecord record) {
        known.put(record.roomId(), record);
    }

    void forget(String roomId) {
        known.remove(roomId);
    }

    private void listen() {
        long backoffMs = 250;
        while (listener == Thread.currentThread() && isRunning()) {
            try (Jedis jedis = new Jedis(URI.create(url), 2000)) {
                JedisPubSub s = new JedisPubSub() {
                    @Override
                    public void onSubscribe(String channel, int subscribedChannels) {
                        boolean wasDown = !connected;
                        connected = true;
                        if (wasDown) {
                            LOG.infof("listening for room events on %s", channel);
                            resyncAll();
                        }
                    }

                    @Override
                    public void onMessage(String channel, String roomId) {
                        onRoomEvent(roomId);
                    }
                };
                subscription = s;
                jedis.subscribe(s, RedisKeys.roomEvents());
                backoffMs = 250;
            } catch (RuntimeException e) {
                if (connected) {
                    LOG.warnf("lost Redis at %s: %s", url, e.getMessage());
                    connected = false;
                    // Reconcile every Room once so their status says Redis is gone (they retry on their own after that).
                    resyncAll();
                }
            }
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                return;
            }
            backoffMs = Math.min(backoffMs * 2, 5000);
        }
    }

    private void onRoomEvent(String roomId) {
        List<Room> declared = rooms.byIndex(ROOM_ID_INDEX, roomId);
        if (declared.isEmpty()) {
            return; // an ad hoc room: signaling runs it on its defaults, nothing to reconcile
        }
        try {
            var live = store.live(roomId);
            RoomRecord before = known.get(roomId);
            if (before != null && live.equals(before.live())) {
                return;
            }
            known.put(roomId, new RoomRecord(roomId, before == null ? null : before.policy(), live));
        } catch (RuntimeException e) {
            LOG.debugf("could not read room %s: %s", roomId, e.getMessage());
        }
        declared.forEach(r -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(r))));
    }

    private void resyncAll() {
        if (!isRunning() || getEventHandler() == null) {
            return;
        }
        rooms.list().forEach(r -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(r))));
    }
}
