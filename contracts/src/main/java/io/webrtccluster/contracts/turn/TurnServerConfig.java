package io.webrtccluster.contracts.turn;

import java.util.ArrayList;
import java.util.List;

/**
 * What one coturn server of a pool is configured with; {@link TurnServerConf#render(TurnServerConfig)} turns it
 * into {@code turnserver.conf}. Hardening that is not optional (REST auth, no CLI, denied private peers, ...) is
 * not a field here: it is always rendered.
 *
 * @param realm              TURN realm (also the REST credential realm)
 * @param listeningPort      STUN/TURN port for UDP and TCP (3478)
 * @param tlsListeningPort   TURN over TLS/DTLS port, used only when {@code tls} is set (5349)
 * @param minRelayPort       lowest relay port
 * @param maxRelayPort       highest relay port
 * @param externalIp         {@code public} or {@code public/private} address announced in relayed candidates, or null
 * @param authSecrets        TURN REST secrets, current first; a second one is the previous secret still accepted
 *                           during rotation. May be empty when the secrets are passed as
 *                           {@code --static-auth-secret} arguments instead (keeps them out of a ConfigMap).
 * @param extraDeniedPeers   blocks denied on top of {@link DeniedPeers} (cluster pod and service CIDRs)
 * @param allowedPeers       blocks allowed even inside a denied block (coturn checks allowed first)
 * @param userQuota          concurrent allocations per user (0 = unlimited)
 * @param totalQuota         concurrent allocations on this server (0 = unlimited)
 * @param prometheus         expose coturn's Prometheus exporter (port 9641); needs a coturn built with it
 * @param tls                certificate and key for TLS/DTLS, or null (then TLS/DTLS listeners are off)
 * @param listeningIps       addresses to listen on (empty = all)
 * @param relayIps           addresses to relay from (empty = coturn picks)
 * @param allowLoopbackPeers lab/dev only: relay to 127.0.0.1 and ::1 (local runs where every peer is on loopback)
 * @param logToStdout        log to stdout (containers) instead of coturn's log files
 */
public record TurnServerConfig(String realm, int listeningPort, int tlsListeningPort, int minRelayPort, int maxRelayPort,
                               String externalIp, List<String> authSecrets, List<Cidr> extraDeniedPeers,
                               List<Cidr> allowedPeers, int userQuota, int totalQuota, boolean prometheus,
                               TlsFiles tls, List<String> listeningIps, List<String> relayIps,
                               boolean allowLoopbackPeers, boolean logToStdout) {

    public static final int DEFAULT_LISTENING_PORT = 3478;
    public static final int DEFAULT_TLS_LISTENING_PORT = 5349;
    public static final int DEFAULT_MIN_RELAY_PORT = 49152;
    public static final int DEFAULT_MAX_RELAY_PORT = 65535;
    public static final int DEFAULT_USER_QUOTA = 12;
    public static final int DEFAULT_TOTAL_QUOTA = 1200;

    public TurnServerConfig {
        if (realm == null || realm.isBlank() || realm.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("realm must be a non-empty word, was '" + realm + "'");
        }
        requirePort("listeningPort", listeningPort);
        requirePort("tlsListeningPort", tlsListeningPort);
        requirePort("minRelayPort", minRelayPort);
        requirePort("maxRelayPort", maxRelayPort);
        if (minRelayPort >= maxRelayPort) {
            throw new IllegalArgumentException("minRelayPort must be below maxRelayPort, was " + minRelayPort + ".." + maxRelayPort);
        }
        authSecrets = List.copyOf(authSecrets);
        if (authSecrets.size() > 2) {
            throw new IllegalArgumentException("at most two auth secrets (current and previous), got " + authSecrets.size());
        }
        for (String s : authSecrets) {
            requireWord("auth secret", s);
        }
        if (externalIp != null) {
            requireWord("externalIp", externalIp);
        }
        if (userQuota < 0 || totalQuota < 0) {
            throw new IllegalArgumentException("quotas must be >= 0");
        }
        extraDeniedPeers = List.copyOf(extraDeniedPeers);
        allowedPeers = List.copyOf(allowedPeers);
        listeningIps = List.copyOf(listeningIps);
        relayIps = List.copyOf(relayIps);
        listeningIps.forEach(ip -> requireWord("listening ip", ip));
        relayIps.forEach(ip -> requireWord("relay ip", ip));
    }

    public static Builder builder(String realm) {
        return new Builder(realm);
    }

    public Builder toBuilder() {
        Builder b = new Builder(realm);
        b.listeningPort = listeningPort;
        b.tlsListeningPort = tlsListeningPort;
        b.minRelayPort = minRelayPort;
        b.maxRelayPort = maxRelayPort;
        b.externalIp = externalIp;
        b.authSecrets = new ArrayList<>(authSecrets);
        b.extraDeniedPeers = new ArrayList<>(extraDeniedPeers);
        b.allowedPeers = new ArrayList<>(allowedPeers);
        b.userQuota = userQuota;
        b.totalQuota = totalQuota;
        b.prometheus = prometheus;
        b.tls = tls;
        b.listeningIps = new ArrayList<>(listeningIps);
        b.relayIps = new ArrayList<>(relayIps);
        b.allowLoopbackPeers = allowLoopbackPeers;
        b.logToStdout = logToStdout;
        return b;
    }

    private static void requirePort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be within 1..65535, was " + port);
        }
    }

    /** A config line is {@code key=value}: a value with whitespace or a line break would inject another option. */
    private static void requireWord(String name, String value) {
        if (value == null || value.isEmpty() || value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException(name + " must be non-empty without whitespace");
        }
    }

    /** Defaults are the production ones: prometheus on, stdout logging, default quotas and relay range. */
    public static final class Builder {
        private final String realm;
        private int listeningPort = DEFAULT_LISTENING_PORT;
        private int tlsListeningPort = DEFAULT_TLS_LISTENING_PORT;
        private int minRelayPort = DEFAULT_MIN_RELAY_PORT;
        private int maxRelayPort = DEFAULT_MAX_RELAY_PORT;
        private String externalIp;
        private List<String> authSecrets = new ArrayList<>();
        private List<Cidr> extraDeniedPeers = new ArrayList<>();
        private List<Cidr> allowedPeers = new ArrayList<>();
        private int userQuota = DEFAULT_USER_QUOTA;
        private int totalQuota = DEFAULT_TOTAL_QUOTA;
        private boolean prometheus = true;
        private TlsFiles tls;
        private List<String> listeningIps = new ArrayList<>();
        private List<String> relayIps = new ArrayList<>();
        private boolean allowLoopbackPeers;
        private boolean logToStdout = true;

        private Builder(String realm) {
            this.realm = realm;
        }

        public Builder listeningPort(int port) {
            this.listeningPort = port;
            return this;
        }

        public Builder tlsListeningPort(int port) {
            this.tlsListeningPort = port;
            return this;
        }

        public Builder relayPorts(int min, int max) {
            this.minRelayPort = min;
            this.maxRelayPort = max;
            return this;
        }

        public Builder externalIp(String externalIp) {
            this.externalIp = externalIp;
            return this;
        }

        /** Current secret first; pass a second one (the previous secret) while rotating. */
        public Builder authSecrets(String... secrets) {
            this.authSecrets = new ArrayList<>(List.of(secrets));
            return this;
        }

        public Builder authSecrets(List<String> secrets) {
            this.authSecrets = new ArrayList<>(secrets);
            return this;
        }

        public Builder denyPeers(List<Cidr> cidrs) {
            this.extraDeniedPeers.addAll(cidrs);
            return this;
        }

        public Builder denyPeers(String... cidrs) {
            for (String c : cidrs) {
                this.extraDeniedPeers.add(Cidr.parse(c));
            }
            return this;
        }

        public Builder allowPeers(String... cidrs) {
            for (String c : cidrs) {
                this.allowedPeers.add(Cidr.parse(c));
            }
            return this;
        }

        public Builder allowPeers(List<Cidr> cidrs) {
            this.allowedPeers.addAll(cidrs);
            return this;
        }

        public Builder quotas(int perUser, int total) {
            this.userQuota = perUser;
            this.totalQuota = total;
            return this;
        }

        public Builder prometheus(boolean on) {
            this.prometheus = on;
            return this;
        }

        public Builder tls(TlsFiles tls) {
            this.tls = tls;
            return this;
        }

        public Builder listeningIps(String... ips) {
            this.listeningIps = new ArrayList<>(List.of(ips));
            return this;
        }

        public Builder relayIps(String... ips) {
            this.relayIps = new ArrayList<>(List.of(ips));
            return this;
        }

        public Builder allowLoopbackPeers(boolean allow) {
            this.allowLoopbackPeers = allow;
            return this;
        }

        public Builder logToStdout(boolean on) {
            this.logToStdout = on;
            return this;
        }

        public TurnServerConfig build() {
            return new TurnServerConfig(realm, listeningPort, tlsListeningPort, minRelayPort, maxRelayPort, externalIp,
                    authSecrets, extraDeniedPeers, allowedPeers, userQuota, totalQuota, prometheus, tls, listeningIps,
                    relayIps, allowLoopbackPeers, logToStdout);
        }
    }
}
