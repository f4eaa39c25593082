package io.webrtccluster.signaling.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything signaling reads from configuration ({@code wrc.*}; env vars such as WRC_REDIS_URL map onto it). */
@ConfigMapping(prefix = "wrc")
public interface SignalingConfig {

    /** Shared state. Absent: in-process default, good for one replica (the local run). */
    Redis redis();

    Auth auth();

    Ice ice();

    Limits limits();

    Presence presence();

    /** coturn started by this process for the local run ({@code bin/run --turn}). */
    LocalTurn localTurn();

    /** Policy of ad hoc rooms (rooms without a declared record). */
    RoomDefaults roomDefaults();

    /** Identifies this replica in logs and session records; defaults to a random id per process. */
    Optional<String> replicaId();

    /** Live mesh/SFU switching. */
    TopologyConfig topology();

    interface TopologyConfig {
        /** How long a switch waits for every participant's READY before it commits (to SFU) or aborts (to mesh). */
        @WithDefault("8s")
        Duration prepareTimeout();

        /** How often a replica checks hysteresis and switch deadlines of the rooms it holds sessions in. */
        @WithDefault("500ms")
        Duration tick();
    }

    interface Redis {
        Optional<String> url();
    }

    interface Auth {
        /** HMAC secret for join tokens (>= 32 bytes). All replicas must share it. Absent: random per process (single replica only). */
        Optional<String> tokenSecret();

        /** API keys allowed to mint tokens through POST /v1/tokens. */
        Optional<List<String>> apiKeys();

        /** Mint tokens for anyone at GET /v1/dev-token. For the demo and tests only. */
        @WithDefault("false")
        boolean devTokens();

        @WithDefault("1h")
        Duration maxTokenTtl();
    }

    interface Ice {
        Optional<List<String>> stunUrls();

        Optional<List<String>> turnUrls();

        /** The TurnPool's shared secret (coturn use-auth-secret). */
        Optional<String> turnSecret();

        @WithDefault("PT6H")
        Duration turnTtl();

        @WithDefault("webrtc-cluster")
        String turnRealm();
    }

    interface Limits {
        /** Largest message the protocol accepts; bigger ones get a too-large error and the connection stays. */
        @WithDefault("65536")
        int maxMessageBytes();

        /**
         * Largest answer to the SFU: it has an m-line per stream received, ~1.5 KB per other participant with
         * audio and video (Chromium answers 75 KB for 50 participants), so a big SFU room's answers pass
         * max-message-bytes. 512 KiB fits ~340 participants. They go to the worker, never to another client.
         */
        @WithDefault("524288")
        int maxSfuAnswerBytes();

        /** Sustained messages per second per connection. */
        @WithDefault("50")
        int messagesPerSecond();

        /** Burst allowance on top (ICE candidates arrive in bursts). */
        @WithDefault("200")
        int messageBurst();

        /** Dropped messages after which a flooding connection is closed. */
        @WithDefault("1000")
        int floodCloseAfter();

        /** A connection that has not sent {@code join} this long after opening is closed (4008 join-timeout). */
        @WithDefault("10s")
        Duration joinTimeout();

        /**
         * Open signaling sockets per replica. Absent: the process's file-descriptor limit minus
         * {@link #reservedDescriptors()}, so Redis, health probes and HTTP keep working when it is reached.
         */
        Optional<Integer> maxConnections();

        /** Descriptors kept free below the process limit when max-connections is derived from it. */
        @WithDefault("256")
        int reservedDescriptors();

        /** Open signaling sockets per client address (one NAT, one misbehaving client). */
        @WithDefault("100")
        int connectionsPerAddress();

        /** Failed token verifications at join and rejected API keys per client address per minute (burst the same). */
        @WithDefault("10")
        int authFailuresPerMinute();

        /**
         * Proxies (addresses or CIDRs, e.g. the ingress controller's pod range) whose X-Forwarded-For is believed
         * when deciding a connection's client address. Absent: the socket's peer address is the client.
         */
        Optional<List<String>> trustedProxies();
    }

    interface LocalTurn {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("3478")
        int port();

        /** The address clients reach it at. */
        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("49160")
        int minRelayPort();

        @WithDefault("49260")
        int maxRelayPort();
    }

    interface RoomDefaults {
        @WithDefault("50")
        int maxParticipants();

        @WithDefault("4")
        int meshThreshold();

        /** mesh, sfu, mcu or auto (mesh up to the threshold, SFU above it, back to mesh after the hysteresis). */
        @WithDefault("auto")
        String mode();

        /** Auto rooms: how long a room must stay at or below a threshold before it moves down (SFU to mesh, MCU to SFU). */
        @WithDefault("10s")
        Duration hysteresis();

        /** Auto rooms: above this many participants the worker mixes the audio (MCU); 0 = never. */
        @WithDefault("0")
        int mcuThreshold();

        /** MCU rooms: how many active speakers are mixed at once (1..15). */
        @WithDefault("3")
        int mixerSpeakers();
    }

    interface Presence {
        /** A participant whose replica stops heart-beating is removed after this long (and may resume within it). */
        @WithDefault("15s")
        Duration ttl();

        @WithDefault("3s")
        Duration heartbeat();
    }
}
