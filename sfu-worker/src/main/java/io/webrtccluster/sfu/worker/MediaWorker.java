package io.webrtccluster.sfu.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.webrtccluster.contracts.sfu.WorkerStats;
import io.webrtccluster.sfu.ice.UdpEndpoint;
import io.webrtccluster.sfu.metrics.MediaMetrics;
import io.webrtccluster.sfu.mixer.MixClock;
import io.webrtccluster.sfu.mixer.MixConfig;
import io.webrtccluster.sfu.mixer.MixerCounters;
import io.webrtccluster.sfu.room.Router;
import io.webrtccluster.sfu.room.RouterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The worker process: the UDP endpoint, its rooms (routers), the RTCP timers and the drain on SIGTERM. */
@ApplicationScoped
public class MediaWorker {
    private static final Logger LOG = Logger.getLogger(MediaWorker.class);

    @Inject
    WorkerConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    WorkerRegistration registration;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8090")
    int httpPort;

    private final Map<String, Router> routers = new ConcurrentHashMap<>();
    private UdpEndpoint endpoint;
    private RouterConfig routerConfig;
    private ScheduledExecutorService timers;
    private final MixClock mixClock = new MixClock();
    private int reportTicks;
    private volatile boolean draining;
    private String workerId;

    void onStart(@Observes StartupEvent ev) {
        workerId = config.workerId().orElseGet(MediaWorker::hostName);
        try {
            endpoint = new UdpEndpoint(new InetSocketAddress(config.bindAddress(), config.udpPort()),
                    reason -> MediaMetrics.get().dropped(reason));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind UDP " + config.bindAddress() + ":" + config.udpPort(), e);
        }
        io.webrtccluster.sfu.dtls.DtlsHandshake.setProfiles(config.srtpProfiles());
        config.captureDir().ifPresent(dir -> io.webrtccluster.sfu.ice.Capture.enable(java.nio.file.Path.of(dir)));
        io.webrtccluster.sfu.srtp.SrtpSession.warmUp(config.aesFactory());
        endpoint.start();
        routerConfig = new RouterConfig(config.announcedAddress(), endpoint.localPort(), config.upstreamNack(), config.nack(),
                config.rembBps(), config.simulcastRids());
        MediaMetrics.get().bind(registry);
        registry.gauge("wrc.sfu.participants", this, w -> w.participants());
        registry.gauge("wrc.sfu.producers", this, w -> w.producers());
        registry.gauge("wrc.sfu.consumers", this, w -> w.consumers());
        timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "sfu-rtcp");
            t.setDaemon(true);
            return t;
        });
        timers.scheduleAtFixedRate(() -> tick(true), 1000, 1000, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(() -> tick(false), 20, 20, TimeUnit.MILLISECONDS);
        // The mixer's warm-up (~30 s of a 2-speaker room, in the background) waits for the registration: its
        // codec work and JIT compiles competed with start-up for a small pod's CPU and delayed it.
        registration.start(this, () -> io.webrtccluster.sfu.mixer.MixWarmUp.start(1500));
        installDrainOnSigterm();
        LOG.infof("SFU worker %s: UDP %s:%d announced as %s", workerId, config.bindAddress(), endpoint.localPort(),
                config.announcedAddress());
    }

    private void tick(boolean reports) {
        long now = System.currentTimeMillis();
        if (reports && ++reportTicks % 10 == 0) {
            String bad = MixerCounters.get().changesSinceLastCall();
            if (bad != null) {
                LOG.infof("mixer input in the last 10 s: %s", bad); // counts, never a trace per packet
            }
        }
        for (Router r : routers.values()) {
            try {
                if (reports) {
                    r.tickReports(now);
                } else {
                    r.tickNacks(now);
                }
            } catch (RuntimeException e) {
                LOG.debug("timer tick failed", e);
            }
        }
    }

    /**
     * SIGTERM: take no new participants (readiness goes DOWN, the registration says draining and the
     * worker announces it, so signaling moves its participants to another worker and closes them here),
     * keep serving the current ones and the control API until they are gone or the drain timeout passes,
     * then exit. The JVM's default SIGTERM handling would stop the HTTP server first, so the worker takes
     * the signal itself.
     */
    private void installDrainOnSigterm() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> drainAndExit());
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIGTERM; the worker will stop without draining", e);
        }
    }

    synchronized void drainAndExit() {
        if (draining) {
            return;
        }
        draining = true;
        LOG.infof("SIGTERM: draining %d participants (at most %s)", participants(), config.drainTimeout());
        registration.announceStopping();
        Thread t = new Thread(() -> {
            long deadline = System.currentTimeMillis() + config.drainTimeout().toMillis();
            while (participants() > 0 && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            LOG.infof("drained with %d participants left", participants());
            io.quarkus.runtime.Quarkus.asyncExit(0);
        }, "sfu-drain");
        t.setDaemon(true);
        t.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        draining = true;
        registration.stop();
        timers.shutdownNow();
        mixClock.close();
        endpoint.close();
    }

    /**
     * The room's router, created as an SFU room ({@code mixing} null) or an MCU room. After that only
     * {@code PUT /rooms/{room}/audio} changes how it routes audio: signaling switches a live room between SFU
     * and MCU in steps, and a participant joining in between fits whatever the room runs at that moment.
     */
    public Router router(String roomId, MixConfig mixing) {
        return routers.computeIfAbsent(roomId, id -> new Router(id, routerConfig, endpoint, registration, mixing, mixClock));
    }

    public Router router(String roomId, boolean create) {
        if (create) {
            return router(roomId, (MixConfig) null);
        }
        Router r = routers.get(roomId);
        if (r == null) {
            throw new java.util.NoSuchElementException("no room " + roomId + " on this worker");
        }
        return r;
    }

    public void closeParticipant(String roomId, String participantId) {
        Router r = router(roomId, false);
        r.closeTransport(participantId);
        if (r.isEmpty() && routers.remove(roomId, r)) {
            r.close();
        }
    }

    public boolean draining() {
        return draining;
    }

    public String workerId() {
        return workerId;
    }

    public String controlUrl() {
        return config.controlUrl().orElse("http://" + config.announcedAddress() + ":" + httpPort);
    }

    public String dedicatedRoom() {
        return config.room().orElse(null);
    }

    public int udpPort() {
        return endpoint.localPort();
    }

    public int participants() {
        return routers.values().stream().mapToInt(Router::participants).sum();
    }

    public int producers() {
        return routers.values().stream().mapToInt(Router::producers).sum();
    }

    public int consumers() {
        return routers.values().stream().mapToInt(Router::consumers).sum();
    }

    public WorkerStats stats() {
        List<WorkerStats.Room> rooms = new ArrayList<>();
        routers.values().forEach(r -> rooms.add(r.stats()));
        return new WorkerStats(workerId, draining, participants(), producers(), consumers(), rooms);
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "sfu-worker";
        }
    }
}
