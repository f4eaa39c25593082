package io.webrtccluster.signaling.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Member records as stored in the room's members hash (JSON, readable with redis-cli). */
final class MemberCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemberCodec() {
    }

    static String encode(Member m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Member decode(String s) {
        try {
            return JSON.readValue(s, Member.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt member record: " + s, e);
        }
    }
}
