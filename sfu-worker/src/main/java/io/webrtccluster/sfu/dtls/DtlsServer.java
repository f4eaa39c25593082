package io.webrtccluster.sfu.dtls;

import java.io.IOException;
import java.util.Hashtable;

import io.webrtccluster.sfu.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's DTLS 1.2 server, configured for WebRTC: ECDSA credentials, a client certificate
 * that must match the fingerprint from the browser's SDP, and the use_srtp extension whose
 * negotiated profile and exported keys feed SRTP.
 */
final class DtlsServer extends DefaultTlsServer {
    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final java.util.function.Supplier<String> expectedRemoteFingerprint;
    private SrtpProfile profile;
    private byte[] keyingMaterial;

    DtlsServer(BcTlsCrypto crypto, DtlsCertificate certificate, java.util.function.Supplier<String> expectedRemoteFingerprint) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.expectedRemoteFingerprint = expectedRemoteFingerprint;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[]{CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA};
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, certificate.privateKey(),
                certificate.certificate(), new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        // WebRTC is mutually authenticated: the browser's certificate is checked against its SDP fingerprint.
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        java.util.Vector<SignatureAndHashAlgorithm> algs = new java.util.Vector<>();
        algs.add(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        algs.add(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        return new CertificateRequest(types, algs, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        String actual = DtlsCertificate.fingerprintOf(clientCertificate.getCertificateAt(0).getEncoded());
        // The answer (with the browser's fingerprint) may still be on its way through signaling; the supplier waits for it.
        if (!DtlsCertificate.sameFingerprint(actual, expectedRemoteFingerprint.get())) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        for (SrtpProfile ours : DtlsHandshake.profiles()) { // our order is our preference
            for (int theirs : offered.getProtectionProfiles()) {
                if (theirs == ours.id) {
                    profile = ours;
                    return;
                }
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable ext = super.getServerExtensions();
        if (ext == null) {
            ext = new Hashtable();
        }
        TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[]{profile.id}, new byte[0]));
        return ext;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                2 * (profile.keyLength + profile.saltLength));
    }

    SrtpProfile profile() {
        return profile;
    }

    byte[] keyingMaterial() {
        return keyingMaterial;
    }
}
