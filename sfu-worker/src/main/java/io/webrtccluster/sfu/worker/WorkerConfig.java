package io.webrtccluster.sfu.worker;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code wrc.sfu.*}: how this worker listens, announces itself and forwards. */
@ConfigMapping(prefix = "wrc.sfu")
public interface WorkerConfig {
    /** The one UDP port all participants share (0 = any free port, for tests). */
    @WithName("udp-port")
    @WithDefault("40000")
    int udpPort();

    @WithName("bind-address")
    @WithDefault("0.0.0.0")
    String bindAddress();

    /** The IP browsers reach the UDP port on (a node, LoadBalancer or NAT address). */
    @WithName("announced-address")
    @WithDefault("127.0.0.1")
    String announcedAddress();

    /** Stable id in Redis; defaults to the host name (the pod name in Kubernetes). */
    @WithName("worker-id")
    Optional<String> workerId();

    /** The room this worker is dedicated to, if any (recorded in its registration). */
    Optional<String> room();

    /** Base URL signaling uses to reach the control API; defaults to http://announced-address:http-port. */
    @WithName("control-url")
    Optional<String> controlUrl();

    /** Answer subscribers' NACKs from the packet cache. */
    @WithDefault("true")
    boolean nack();

    /** NACK losses on publishers' uplinks. */
    @WithName("upstream-nack")
    @WithDefault("true")
    boolean upstreamNack();

    /** Bitrate cap announced to publishers in REMB. */
    @WithName("remb-bps")
    @WithDefault("3000000")
    long rembBps();

    @WithName("simulcast-rids")
    @WithDefault("q,h,f")
    List<String> simulcastRids();

    /**
     * How often the registration is refreshed; it expires after three missed beats. That expiry is how signaling
     * notices a worker that died without SIGTERM (SIGKILL, node loss), so it bounds the media gap then.
     */
    @WithDefault("1s")
    Duration heartbeat();

    /** SRTP profiles in order of preference. */
    @WithName("srtp-profiles")
    @WithDefault("AEAD_AES_128_GCM,AES_CM_128_HMAC_SHA1_80")
    List<io.webrtccluster.sfu.srtp.SrtpProfile> srtpProfiles();

    /**
     * jitsi-srtp AES back-end: a CipherFactory class name, or "benchmark" to let jitsi-srtp time
     * OpenSSL/SunJCE/BouncyCastle at start-up (1-4 s, slower on a busy node).
     */
    @WithName("aes-factory")
    @WithDefault("org.jitsi.srtp.crypto.Aes$SunJCECipherFactory")
    String aesFactory();

    /** Test aid: a directory where the worker writes the first datagrams it sees (and their SRTP keys) as hex. */
    @WithName("capture-dir")
    Optional<String> captureDir();

    /** How long SIGTERM waits for participants to leave before the worker exits anyway. */
    @WithName("drain-timeout")
    @WithDefault("20s")
    Duration drainTimeout();
}
