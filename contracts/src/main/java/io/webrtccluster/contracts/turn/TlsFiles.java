package io.webrtccluster.contracts.turn;

/**
 * Certificate chain and private key (PEM paths as coturn sees them) for TURN over TLS/DTLS.
 *
 * @param certFile PEM certificate chain
 * @param keyFile  PEM private key
 */
public record TlsFiles(String certFile, String keyFile) {
    public TlsFiles {
        if (certFile == null || certFile.isBlank() || keyFile == null || keyFile.isBlank()) {
            throw new IllegalArgumentException("TLS needs both a certificate file and a key file");
        }
    }
}
