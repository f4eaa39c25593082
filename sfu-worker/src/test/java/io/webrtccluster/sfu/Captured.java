package io.webrtccluster.sfu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Datagrams Chromium 156 sent to the worker on this machine, captured with {@code wrc.sfu.capture-dir}
 * (see src/test/resources/captured/README.md). Each line is {@code <note> <hex>}.
 */
public final class Captured {
    public record Line(String note, byte[] bytes) {
    }

    private Captured() {
    }

    public static List<Line> read(String resource) {
        try (InputStream in = Captured.class.getResourceAsStream("/captured/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no captured resource " + resource);
            }
            List<Line> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (l.isBlank()) {
                    continue;
                }
                int sp = l.indexOf(' ');
                out.add(new Line(l.substring(0, sp), HexFormat.of().parseHex(l.substring(sp + 1).trim())));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
