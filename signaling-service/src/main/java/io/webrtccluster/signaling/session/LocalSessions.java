package io.webrtccluster.signaling.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.webrtccluster.signaling.room.SessionRecord;

/** The sessions whose sockets this replica holds: what its heartbeat keeps alive. */
@ApplicationScoped
public class LocalSessions {
    private final Set<PeerSession> joined = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    void add(PeerSession s) {
        joined.add(s);
    }

    void remove(PeerSession s) {
        joined.remove(s);
    }

    /** The joined sessions, for the SFU failover check. */
    Set<PeerSession> joined() {
        return joined;
    }

    public int size() {
        return joined.size();
    }

    /** Rooms this replica holds joined sessions in. */
    public Set<String> rooms() {
        Set<String> out = new java.util.HashSet<>();
        for (PeerSession s : joined) {
            String r = s.roomId();
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    public List<SessionRecord> records() {
        List<SessionRecord> out = new ArrayList<>(joined.size());
        for (PeerSession s : joined) {
            SessionRecord r = s.record();
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Sockets closed because this replica stops are not leaves: clients reconnect to another replica
     * and resume, so peers see no leave/join storm during a rolling update.
     */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    void onShutdown(@Observes ShutdownEvent e) {
        shuttingDown = true;
    }

    /**
     * The JVM runs its shutdown hooks at once on SIGTERM, beside the one that stops Quarkus. The ShutdownEvent
     * alone came too late once in six rolling updates on the real node: the HTTP server had already closed a
     * socket (code 1000), which then counted as a leave.
     */
    void onStart(@Observes io.quarkus.runtime.StartupEvent e) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shuttingDown = true, "wrc-stopping"));
    }
}
