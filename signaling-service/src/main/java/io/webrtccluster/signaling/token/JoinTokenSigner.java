package io.webrtccluster.signaling.token;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.jboss.logging.Logger;

import io.webrtccluster.signaling.config.SignalingConfig;

/** Signs and verifies join tokens: HS256 JWTs (nimbus-jose-jwt) with claims sub, room, name, perms, exp. */
@ApplicationScoped
public class JoinTokenSigner {
    private static final Logger LOG = Logger.getLogger(JoinTokenSigner.class);
    static final String ISSUER = "webrtc-cluster";

    private final byte[] secret;
    private final Duration maxTtl;
    private final Clock clock;

    @Inject
    public JoinTokenSigner(SignalingConfig config) {
        this(secretFrom(config), config.auth().maxTokenTtl(), Clock.systemUTC());
    }

    public JoinTokenSigner(byte[] secret, Duration maxTtl, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("wrc.auth.token-secret must be at least 32 bytes");
        }
        this.secret = secret;
        this.maxTtl = maxTtl;
        this.clock = clock;
    }

    private static byte[] secretFrom(SignalingConfig config) {
        return config.auth().tokenSecret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            LOG.warn("wrc.auth.token-secret is not set: using a random secret; tokens only verify on this replica");
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            return Base64.getEncoder().encode(b);
        });
    }

    public Duration maxTtl() {
        return maxTtl;
    }

    public String sign(String room, String identity, String name, Duration ttl, Set<String> permissions) {
        if (ttl.compareTo(maxTtl) > 0) {
            ttl = maxTtl;
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(identity)
                .claim("room", room)
                .claim("name", name == null ? identity : name)
                .claim("perms", List.copyOf(permissions))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public JoinToken verify(String token) throws TokenRejected {
        if (token == null || token.isBlank()) {
            throw new TokenRejected("a join token is required");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new TokenRejected("the join token is not a well-formed JWT");
        }
        try {
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(secret))) {
                throw new TokenRejected("the join token's signature does not verify");
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Date exp = c.getExpirationTime();
            if (exp == null || !exp.toInstant().isAfter(clock.instant())) {
                throw new TokenRejected("the join token has expired");
            }
            String room = c.getStringClaim("room");
            String identity = c.getSubject();
            if (room == null || identity == null || !ISSUER.equals(c.getIssuer())) {
                throw new TokenRejected("the join token lacks room or identity");
            }
            Claims claims = Claims.of(room, identity, c.getStringClaim("name"), c.getStringListClaim("perms"));
            return new JoinToken(claims.room(), claims.identity(), claims.name(), exp.toInstant(), claims.permissions());
        } catch (Claims.Invalid e) {
            throw new TokenRejected("the join token's claims are not valid: " + e.getMessage());
        } catch (ParseException e) {
            throw new TokenRejected("the join token's claims are not well-formed (room, sub and name are strings, perms a list of strings)");
        } catch (JOSEException e) {
            throw new TokenRejected("the join token's signature could not be checked");
        }
    }
}
