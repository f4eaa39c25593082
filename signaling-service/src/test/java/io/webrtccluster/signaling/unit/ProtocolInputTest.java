package io.webrtccluster.signaling.unit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.webrtccluster.signaling.protocol.JsonInput;
import io.webrtccluster.signaling.protocol.Messages;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a client's message is read: errors in protocol terms, versions compared exactly. */
@Tag(Tiers.UNIT)
class ProtocolInputTest {

    @Test
    void parseErrorsSayWhereNotWhichParserFeature() {
        String m = assertThrows(JsonInput.NotJson.class, () -> JsonInput.parse("{\"v\":+1}")).getMessage();
        assertEquals("message is not valid JSON at line 1, column 7", m);
        assertTrue(assertThrows(JsonInput.NotJson.class, () -> JsonInput.parse("{\"type\":\"offer\",")).getMessage()
                .startsWith("message is not valid JSON: it ends at line 1"));
        assertEquals("message is not valid JSON (nesting deeper than 1000 levels)",
                assertThrows(JsonInput.NotJson.class, () -> JsonInput.parse("[".repeat(1001) + "]".repeat(1001))).getMessage());
        assertEquals("message is not valid JSON (a number longer than 1000 digits)",
                assertThrows(JsonInput.NotJson.class, () -> JsonInput.parse("{\"n\":" + "1".repeat(1001) + "}")).getMessage());
        assertTrue(assertThrows(JsonInput.NotJson.class, () -> JsonInput.parse("")).getMessage().contains("empty"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1\"", "1.0", "1e0", "4294967297", "-4294967295", "0", "3", "true", "null", "[1]", "{}"})
    void onlyAnIntegerInTheSupportedSetIsAVersion(String v) throws Exception {
        assertFalse(Messages.supportsVersion(JsonInput.parse(v)), v);
    }

    @Test
    void everySupportedVersionIsAccepted() throws Exception {
        for (int v : Messages.SUPPORTED_VERSIONS) {
            assertTrue(Messages.supportsVersion(JsonInput.parse(Integer.toString(v))));
        }
    }
}
