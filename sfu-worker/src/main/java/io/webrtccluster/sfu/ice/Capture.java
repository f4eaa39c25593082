package io.webrtccluster.sfu.ice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test aid (off unless {@code wrc.sfu.capture-dir} is set): appends the first few datagrams of each
 * kind, and the secrets needed to read them, as hex lines. The codec unit tests are built from these
 * real Chromium bytes.
 */
public final class Capture {
    private static final int PER_KIND = 40;
    private static volatile Path dir;
    private static final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    private Capture() {
    }

    public static void enable(Path directory) {
        try {
            Files.createDirectories(directory);
            dir = directory;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean enabled() {
        return dir != null;
    }

    /** One line {@code <note> <hex>} in {@code <kind>.hex}. */
    public static void record(String kind, String note, byte[] data, int length) {
        record(kind, note, data, length, PER_KIND);
    }

    /** As {@link #record(String, String, byte[], int)}, keeping the first {@code limit} of this kind. */
    public static void record(String kind, String note, byte[] data, int length, int limit) {
        Path d = dir;
        if (d == null || counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet() > limit) {
            return;
        }
        String line = note + " " + HexFormat.of().formatHex(data, 0, length) + "\n";
        try {
            Files.writeString(d.resolve(kind + ".hex"), line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // capture is best effort
        }
    }
}
