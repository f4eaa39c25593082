package io.webrtccluster.sfu.dtls;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The worker's self-signed ECDSA P-256 certificate. WebRTC authenticates DTLS by the certificate's
 * fingerprint in SDP, not by a CA, so one key pair per worker process is enough.
 */
public final class DtlsCertificate {
    private final ECPrivateKeyParameters privateKey;
    private final Certificate certificate;
    private final String fingerprint;

    private DtlsCertificate(ECPrivateKeyParameters privateKey, Certificate certificate, String fingerprint) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.fingerprint = fingerprint;
    }

    public static DtlsCertificate generate(BcTlsCrypto crypto) {
        try {
            X9ECParameters curve = ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1);
            // Named (not explicit) curve parameters: BoringSSL rejects certificates with explicit EC parameters.
            ECDomainParameters domain = new org.bouncycastle.crypto.params.ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, curve);
            ECKeyPairGenerator gen = new ECKeyPairGenerator();
            gen.init(new ECKeyGenerationParameters(domain, new SecureRandom()));
            AsymmetricCipherKeyPair kp = gen.generateKeyPair();
            X500Name name = new X500Name("CN=webrtc-cluster-sfu");
            long now = System.currentTimeMillis();
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                    new Date(now - 86_400_000L), new Date(now + 30L * 86_400_000L), name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(kp.getPublic()));
            AlgorithmIdentifier sigAlg = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            AlgorithmIdentifier digAlg = new AlgorithmIdentifier(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256);
            X509CertificateHolder holder = b.build(new BcECContentSignerBuilder(sigAlg, digAlg).build(kp.getPrivate()));
            byte[] der = holder.getEncoded();
            Certificate cert = new Certificate(new org.bouncycastle.tls.crypto.TlsCertificate[]{new BcTlsCertificate(crypto, der)});
            return new DtlsCertificate((ECPrivateKeyParameters) kp.getPrivate(), cert, fingerprintOf(der));
        } catch (Exception e) {
            throw new IllegalStateException("could not create the DTLS certificate", e);
        }
    }

    /** "sha-256 AB:CD:..." value as it appears after {@code a=fingerprint:}. */
    public static String fingerprintOf(byte[] der) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public ECPrivateKeyParameters privateKey() {
        return privateKey;
    }

    public Certificate certificate() {
        return certificate;
    }

    /** Upper-case colon-separated SHA-256 of the DER certificate. */
    public String fingerprint() {
        return fingerprint;
    }

    static boolean sameFingerprint(String a, String b) {
        return a != null && b != null && a.toUpperCase(Locale.ROOT).equals(b.toUpperCase(Locale.ROOT));
    }
}
