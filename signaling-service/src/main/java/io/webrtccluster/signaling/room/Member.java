package io.webrtccluster.signaling.room;

/**
 * A participant as the room sees it.
 *
 * @param id        the identity from the join token
 * @param name      display name
 * @param sessionId the signaling session that currently holds this membership (a resume keeps it, a fresh join replaces it)
 * @param replicaId the replica that last heart-beat for it
 * @param joinedAt  epoch millis of the first join of this session
 */
public record Member(String id, String name, String sessionId, String replicaId, long joinedAt) {
}
