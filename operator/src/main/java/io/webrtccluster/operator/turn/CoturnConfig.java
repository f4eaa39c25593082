package io.webrtccluster.operator.turn;

import io.webrtccluster.contracts.turn.Cidr;
import io.webrtccluster.contracts.turn.TlsFiles;
import io.webrtccluster.contracts.turn.TurnServerConf;
import io.webrtccluster.contracts.turn.TurnServerConfig;
import io.webrtccluster.operator.crd.v1alpha1.TurnPoolSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A TurnPool's turnserver.conf, rendered by the shared contracts renderer. The auth secrets are not in it:
 * they reach coturn as arguments from the Secret, so the ConfigMap holds nothing sensitive.
 */
public final class CoturnConfig {
    public static final String CONFIG_DIR = "/etc/coturn";
    public static final String CONFIG_KEY = "turnserver.conf";
    public static final String TLS_DIR = "/etc/coturn/tls";

    private CoturnConfig() {
    }

    public static TurnServerConfig of(TurnPoolSpec spec) {
        var b = TurnServerConfig.builder(spec.realm)
                .listeningPort(spec.listeningPort)
                .relayPorts(spec.relayPorts.min, spec.relayPorts.max)
                .externalIp(spec.externalIp)
                .denyPeers(spec.deniedPeerCidrs.stream().map(Cidr::parse).toList())
                .allowPeers(spec.allowedPeerCidrs.stream().map(Cidr::parse).toList())
                .quotas(spec.userQuota, spec.totalQuota)
                .prometheus(spec.prometheus)
                .logToStdout(true);
        if (spec.tlsSecretName != null) {
            b.tls(new TlsFiles(TLS_DIR + "/tls.crt", TLS_DIR + "/tls.key"));
        }
        return b.build();
    }

    public static String render(TurnPoolSpec spec) {
        return TurnServerConf.render(of(spec));
    }

    /** Put on the pod template so a config change rolls the relays (coturn reads its file only at start). */
    public static String hash(String conf) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(conf.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
