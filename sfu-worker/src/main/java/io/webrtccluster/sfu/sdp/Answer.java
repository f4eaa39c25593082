package io.webrtccluster.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/** What the worker needs from a browser's answer: its ICE ufrag, DTLS fingerprint and role, and per m-line what it accepted. */
public record Answer(String iceUfrag, String icePwd, String fingerprint, String setup, List<Section> sections) {

    /**
     * @param mid         the m-line's MID
     * @param port        0 when the browser rejected the m-line
     * @param direction   from the browser's side
     * @param payloadType the first payload type the browser accepted
     * @param ssrcs       SSRCs the browser announced (a=ssrc) for what it sends here
     * @param rids        simulcast rids the browser will send, in its order
     */
    public record Section(String mid, int port, String direction, int payloadType, List<Long> ssrcs, List<String> rids) {
    }

    public static Answer parse(String sdp) {
        String ufrag = null;
        String pwd = null;
        String fingerprint = null;
        String setup = null;
        List<Section> sections = new ArrayList<>();
        String mid = null;
        int port = 0;
        String direction = "sendrecv";
        int pt = -1;
        List<Long> ssrcs = new ArrayList<>();
        List<String> rids = new ArrayList<>();
        boolean inMedia = false;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (inMedia) {
                    sections.add(new Section(mid, port, direction, pt, List.copyOf(ssrcs), List.copyOf(rids)));
                }
                inMedia = true;
                String[] f = line.substring(2).split(" ");
                port = Integer.parseInt(f[1]);
                pt = f.length > 3 ? Integer.parseInt(f[3]) : -1;
                mid = null;
                direction = "sendrecv";
                ssrcs = new ArrayList<>();
                rids = new ArrayList<>();
            } else if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring(12);
            } else if (line.startsWith("a=ice-pwd:")) {
                pwd = line.substring(10);
            } else if (line.startsWith("a=fingerprint:")) {
                String[] f = line.substring(14).split(" ");
                if (f[0].equalsIgnoreCase("sha-256")) {
                    fingerprint = f[1];
                }
            } else if (line.startsWith("a=setup:")) {
                setup = line.substring(8);
            } else if (line.startsWith("a=mid:")) {
                mid = line.substring(6);
            } else if (line.equals("a=sendonly") || line.equals("a=recvonly") || line.equals("a=sendrecv") || line.equals("a=inactive")) {
                direction = line.substring(2);
            } else if (line.startsWith("a=ssrc:")) {
                long ssrc = Long.parseLong(line.substring(7).split(" ")[0]);
                if (!ssrcs.contains(ssrc)) {
                    ssrcs.add(ssrc);
                }
            } else if (line.startsWith("a=rid:")) {
                String[] f = line.substring(6).split(" ");
                if (f.length > 1 && f[1].equals("send")) {
                    rids.add(f[0]);
                }
            }
        }
        if (inMedia) {
            sections.add(new Section(mid, port, direction, pt, List.copyOf(ssrcs), List.copyOf(rids)));
        }
        return new Answer(ufrag, pwd, fingerprint, setup, List.copyOf(sections));
    }

    public Section section(String mid) {
        return sections.stream().filter(s -> mid.equals(s.mid())).findFirst().orElse(null);
    }
}
