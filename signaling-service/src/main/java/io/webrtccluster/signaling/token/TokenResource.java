package io.webrtccluster.signaling.token;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.webrtccluster.signaling.config.SignalingConfig;
import io.webrtccluster.signaling.protocol.Ids;

/**
 * Issues join tokens. Application back ends call {@code POST /v1/tokens} with an API key after they
 * authenticated their user; the demo uses {@code GET /v1/dev-token}, which exists only when
 * {@code wrc.auth.dev-tokens=true}.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    /** Body of POST /v1/tokens. ttlSeconds and permissions are optional. */
    public record TokenRequest(String room, String identity, String name, Long ttlSeconds, List<String> permissions) {
    }

    public record TokenResponse(String token, String room, String identity, long expiresInSeconds) {
    }

    @Inject
    JoinTokenSigner signer;
    @Inject
    SignalingConfig config;

    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(@HeaderParam("Authorization") String authorization, TokenRequest request) {
        List<String> keys = config.auth().apiKeys().orElse(List.of());
        String presented = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        if (presented == null || keys.stream().noneMatch(k -> constantTimeEquals(k, presented))) {
            return error(Response.Status.UNAUTHORIZED, "a valid API key is required (Authorization: Bearer <key>)");
        }
        if (request == null) {
            return error(Response.Status.BAD_REQUEST, "body must be JSON with room and identity");
        }
        Duration ttl = request.ttlSeconds() == null ? signer.maxTtl() : Duration.ofSeconds(request.ttlSeconds());
        if (ttl.isNegative() || ttl.isZero()) {
            return error(Response.Status.BAD_REQUEST, "ttlSeconds must be positive");
        }
        Set<String> perms = request.permissions() == null ? JoinToken.DEFAULT_PERMISSIONS : Set.copyOf(request.permissions());
        return mint(request.room(), request.identity(), request.name(), ttl, perms);
    }

    @GET
    @Path("/dev-token")
    public Response devToken(@QueryParam("room") String room, @QueryParam("identity") String identity,
                             @QueryParam("name") String name, @QueryParam("ttlSeconds") Long ttlSeconds) {
        if (!config.auth().devTokens()) {
            return error(Response.Status.NOT_FOUND, "dev tokens are disabled (wrc.auth.dev-tokens=false)");
        }
        Duration ttl = ttlSeconds == null ? Duration.ofHours(1) : Duration.ofSeconds(ttlSeconds);
        return mint(room, identity, name, ttl, JoinToken.DEFAULT_PERMISSIONS);
    }

    private Response mint(String room, String identity, String name, Duration ttl, Set<String> perms) {
        if (!Ids.validRoom(room)) {
            return error(Response.Status.BAD_REQUEST, "room: " + Ids.RULE);
        }
        if (!Ids.validIdentity(identity)) {
            return error(Response.Status.BAD_REQUEST, "identity: " + Ids.RULE + " (and not \"sfu\")");
        }
        Duration effective = ttl.compareTo(signer.maxTtl()) > 0 ? signer.maxTtl() : ttl;
        String token = signer.sign(room, identity, name, effective, perms);
        return Response.ok(new TokenResponse(token, room, identity, effective.toSeconds())).build();
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).type(MediaType.APPLICATION_JSON).build();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(), b.getBytes());
    }
}
