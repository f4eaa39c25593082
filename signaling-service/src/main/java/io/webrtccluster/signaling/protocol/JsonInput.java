package io.webrtccluster.signaling.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parses a client's message. What went wrong is said in the protocol's terms (where, and what kind of
 * limit), never in the parser's: its own messages name its classes and switches, which mean nothing to
 * a client developer and tell an attacker which library to aim at.
 */
public final class JsonInput {
    private JsonInput() {
    }

    /** A message that is not JSON; {@link #getMessage()} is fit to send to the client. */
    public static final class NotJson extends Exception {
        NotJson(String message) {
            super(message, null, false, false);
        }
    }

    public static JsonNode parse(String text) throws NotJson {
        try {
            JsonNode n = Messages.JSON.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new NotJson("message is empty; send a JSON object");
            }
            return n;
        } catch (StreamConstraintsException e) {
            throw new NotJson("message is not valid JSON (" + limit(e.getMessage()) + ")");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            if (e instanceof JsonEOFException || (at != null && at.getCharOffset() >= text.length())) {
                throw new NotJson("message is not valid JSON: it ends" + where(at) + " before the value is complete");
            }
            throw new NotJson("message is not valid JSON" + where(at));
        }
    }

    private static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** The kinds of limits the parser enforces, named by what they limit. */
    private static String limit(String parserMessage) {
        String m = String.valueOf(parserMessage).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("nesting")) {
            return "nesting deeper than " + Messages.JSON.getFactory().streamReadConstraints().getMaxNestingDepth() + " levels";
        }
        if (m.contains("number")) {
            return "a number longer than " + Messages.JSON.getFactory().streamReadConstraints().getMaxNumberLength() + " digits";
        }
        if (m.contains("name")) {
            return "a field name longer than " + Messages.JSON.getFactory().streamReadConstraints().getMaxNameLength() + " characters";
        }
        if (m.contains("string")) {
            return "a string longer than the limit";
        }
        return "it exceeds a size limit";
    }
}
