package io.webrtccluster.signaling.token;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.vertx.core.http.HttpServerRequest;
import io.webrtccluster.signaling.admission.Admission;
import io.webrtccluster.signaling.config.SignalingConfig;

/**
 * Issues join tokens. Application back ends call {@code POST /v1/tokens} with an API key after they
 * authenticated their user; the demo uses {@code GET /v1/dev-token}, which exists only when
 * {@code wrc.auth.dev-tokens=true}.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {
    /** Lifetime of a dev token that names none (capped at wrc.auth.max-token-ttl); POST /v1/tokens defaults to the maximum. */
    static final Duration DEV_TTL = Duration.ofHours(1);

    /** Body of POST /v1/tokens. ttlSeconds and permissions are optional. */
    public record TokenRequest(String room, String identity, String name, Long ttlSeconds, List<String> permissions) {
    }

    public record TokenResponse(String token, String room, String identity, long expiresInSeconds) {
    }

    @Inject
    JoinTokenSigner signer;
    @Inject
    SignalingConfig config;
    @Inject
    Admission admission;

    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(@HeaderParam("Authorization") String authorization, @Context HttpServerRequest http,
                          TokenRequest request) {
        String address = admission.clientAddress().of(http.remoteAddress().host(), http.getHeader("X-Forwarded-For"));
        Duration wait = admission.apiKeyFailures().retryAfter(address);
        if (wait != null) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return Response.status(429).header("Retry-After", seconds).entity(Map.of("error",
                    "too many requests with a wrong API key from your address; retry in " + seconds + " s"))
                    .type(MediaType.APPLICATION_JSON).build();
        }
        List<String> keys = config.auth().apiKeys().orElse(List.of());
        String presented = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        if (presented == null || keys.stream().noneMatch(k -> constantTimeEquals(k, presented))) {
            admission.apiKeyFailures().failed(address);
            return error(Response.Status.UNAUTHORIZED, "a valid API key is required (Authorization: Bearer <key>)");
        }
        if (request == null) {
            return error(Response.Status.BAD_REQUEST, "body must be JSON with room and identity");
        }
        return mint(request.room(), request.identity(), request.name(),
                request.ttlSeconds() == null ? null : request.ttlSeconds().toString(), signer.maxTtl(), request.permissions());
    }

    @GET
    @Path("/dev-token")
    public Response devToken(@QueryParam("room") String room, @QueryParam("identity") String identity,
                             @QueryParam("name") String name, @QueryParam("ttlSeconds") String ttlSeconds) {
        if (!config.auth().devTokens()) {
            return error(Response.Status.NOT_FOUND, "dev tokens are disabled (wrc.auth.dev-tokens=false)");
        }
        return mint(room, identity, name, ttlSeconds, DEV_TTL, null);
    }

    /** @param ttlSeconds as sent (query string or JSON number); absent: {@code byDefault}, capped at the maximum */
    private Response mint(String room, String identity, String name, String ttlSeconds, Duration byDefault, List<String> permissions) {
        Claims claims;
        try {
            claims = Claims.of(room, identity, name, permissions);
        } catch (Claims.Invalid e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        }
        long max = signer.maxTtl().toSeconds();
        long ttl;
        if (ttlSeconds == null || ttlSeconds.isEmpty()) {
            ttl = Math.min(byDefault.toSeconds(), max);
        } else {
            try {
                ttl = Long.parseLong(ttlSeconds);
            } catch (NumberFormatException e) {
                return error(Response.Status.BAD_REQUEST, "ttlSeconds: a whole number of seconds from 1 to " + max);
            }
            if (ttl < 1 || ttl > max) {
                return error(Response.Status.BAD_REQUEST, "ttlSeconds: from 1 to " + max + " (wrc.auth.max-token-ttl)");
            }
        }
        String token = signer.sign(claims.room(), claims.identity(), claims.name(), Duration.ofSeconds(ttl), claims.permissions());
        return Response.ok(new TokenResponse(token, claims.room(), claims.identity(), ttl)).build();
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).type(MediaType.APPLICATION_JSON).build();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(), b.getBytes());
    }
}
