package io.webrtccluster.natlab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One cell of the NAT matrix: peer A behind {@code a}, peer B behind {@code b}, and what each saw. */
record Cell(NatType a, NatType b, PeerPath pathA, PeerPath pathB, Long firstFrameA, Long firstFrameB, long wallMs,
            int attempt, boolean gatheringStalled) {

    boolean bothDecode() {
        return pathA.mediaFlows() && pathB.mediaFlows();
    }

    boolean eitherDecodes() {
        return pathA.framesDecoded() > 0 || pathB.framesDecoded() > 0;
    }

    boolean relayed() {
        return pathA.relayed() || pathB.relayed();
    }

    /** The slower side's first frame: when the call works both ways. */
    Long firstFrameMs() {
        return firstFrameA == null || firstFrameB == null ? null : Math.max(firstFrameA, firstFrameB);
    }

    @Override
    public String toString() {
        return "%s <-> %s: %s, A %s (%s) / B %s (%s), first frame %s ms, cell %d ms%s".formatted(a, b,
                bothDecode() ? (relayed() ? "RELAY" : "DIRECT") : gatheringStalled ? "BROWSER GATHERED NOTHING" : "NO MEDIA",
                pathA.pair(), pathA.connectionState(), pathB.pair(), pathB.connectionState(), firstFrameMs(), wallMs,
                attempt > 1 ? " (attempt " + attempt + ")" : "");
    }

    /** A text table, one row per cell pair (medians over rounds when a cell ran more than once). */
    static String table(String title, List<Cell> cells) {
        Map<String, List<Cell>> byPair = new LinkedHashMap<>();
        for (Cell c : cells) {
            byPair.computeIfAbsent(c.a() + " <-> " + c.b(), k -> new ArrayList<>()).add(c);
        }
        StringBuilder sb = new StringBuilder("\n").append(title).append('\n');
        sb.append(String.format("%-36s %-8s %-15s %-15s %-12s %-5s %s%n", "cell", "path", "A local->remote", "B local->remote",
                "1st frame ms", "runs", "retried"));
        for (var e : byPair.entrySet()) {
            List<Cell> runs = e.getValue();
            Cell last = runs.get(runs.size() - 1);
            String path = runs.stream().allMatch(Cell::bothDecode) ? (last.relayed() ? "relay" : "direct") : "FAILED";
            List<Long> ff = runs.stream().map(Cell::firstFrameMs).filter(x -> x != null).sorted().toList();
            String median = ff.isEmpty() ? "-" : Long.toString(ff.get(ff.size() / 2));
            sb.append(String.format("%-36s %-8s %-15s %-15s %-12s %-5d %d%n", e.getKey(), path, last.pathA().pair(),
                    last.pathB().pair(), median, runs.size(), runs.stream().filter(c -> c.attempt() > 1).count()));
        }
        return sb.toString();
    }
}
