import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusSignal;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.ShortPointer;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * Concentus (pure Java) against libopus (FFmpeg's libopus wrapper through org.bytedeco:ffmpeg's JNI):
 * microseconds per 20 ms mono frame at 48 kHz / 32 kbit/s, encode at complexities 0..10 and decode,
 * interleaved in rounds in one process, timed in thread CPU time. Run by bench/opus/run.sh.
 */
public class OpusCodecs {
    static final int FRAME = 960;
    static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /** This thread's CPU time: on a shared machine wall time measures the neighbours too. */
    static long cpu() {
        return CPU.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        short[][] speech = speech();
        int[] complexities = {0, 3, 5, 10};
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int c : complexities) {
                line.append(String.format(" enc%d concentus %.0f libopus %.0f;", c, concentusEncode(speech, c), libopusEncode(speech, c)));
            }
            List<byte[]> packets = packets(speech);
            line.append(String.format(" dec concentus %.0f libopus %.0f (us/frame)", concentusDecode(packets), libopusDecode(packets)));
            System.out.println(line);
        }
    }

    static short[][] speech() {
        short[][] s = new short[50][FRAME];
        Random r = new Random(1);
        for (int f = 0; f < 50; f++) {
            for (int i = 0; i < FRAME; i++) {
                long n = (long) f * FRAME + i;
                s[f][i] = (short) (5000 * Math.sin(2 * Math.PI * 220 * n / 48000.0) + 2000 * Math.sin(2 * Math.PI * 1340 * n / 48000.0)
                        + r.nextInt(600) - 300);
            }
        }
        return s;
    }

    static OpusEncoder concentus(int complexity) throws Exception {
        OpusEncoder e = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        e.setBitrate(32000);
        e.setComplexity(complexity);
        e.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
        e.setUseInbandFEC(true);
        return e;
    }

    static double concentusEncode(short[][] speech, int complexity) throws Exception {
        OpusEncoder e = concentus(complexity);
        byte[] out = new byte[1275];
        for (int i = 0; i < 500; i++) {
            e.encode(speech[i % 50], 0, FRAME, out, 0, out.length);
        }
        int n = 1000;
        long t = cpu();
        for (int i = 0; i < n; i++) {
            e.encode(speech[i % 50], 0, FRAME, out, 0, out.length);
        }
        return (cpu() - t) / 1e3 / n;
    }

    static List<byte[]> packets(short[][] speech) throws Exception {
        OpusEncoder e = concentus(5);
        byte[] out = new byte[1275];
        List<byte[]> p = new ArrayList<>();
        for (short[] f : speech) {
            int len = e.encode(f, 0, FRAME, out, 0, out.length);
            p.add(java.util.Arrays.copyOf(out, len));
        }
        return p;
    }

    static double concentusDecode(List<byte[]> packets) throws Exception {
        OpusDecoder d = new OpusDecoder(48000, 1);
        short[] pcm = new short[FRAME];
        for (int i = 0; i < 1000; i++) {
            d.decode(packets.get(i % 50), 0, packets.get(i % 50).length, pcm, 0, FRAME, false);
        }
        int n = 2000;
        long t = cpu();
        for (int i = 0; i < n; i++) {
            d.decode(packets.get(i % 50), 0, packets.get(i % 50).length, pcm, 0, FRAME, false);
        }
        return (cpu() - t) / 1e3 / n;
    }

    static double libopusEncode(short[][] speech, int complexity) {
        AVCodec codec = avcodec_find_encoder_by_name("libopus");
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.sample_rate(48000);
        c.sample_fmt(AV_SAMPLE_FMT_S16);
        av_channel_layout_default(c.ch_layout(), 1);
        c.bit_rate(32000);
        c.compression_level(complexity);
        AVDictionary opts = new AVDictionary(null);
        av_dict_set(opts, "application", "voip", 0);
        av_dict_set(opts, "fec", "1", 0);
        if (avcodec_open2(c, codec, opts) < 0) {
            throw new IllegalStateException("libopus encoder did not open");
        }
        AVFrame f = av_frame_alloc();
        f.nb_samples(FRAME);
        f.format(AV_SAMPLE_FMT_S16);
        av_channel_layout_copy(f.ch_layout(), c.ch_layout());
        av_frame_get_buffer(f, 0);
        AVPacket p = av_packet_alloc();
        int warm = 500;
        int n = 1000;
        long t = 0;
        for (int i = 0; i < warm + n; i++) {
            if (i == warm) {
                t = cpu();
            }
            av_frame_make_writable(f);
            new ShortPointer(f.data(0)).put(speech[i % 50], 0, FRAME);
            f.pts((long) i * FRAME);
            avcodec_send_frame(c, f);
            while (avcodec_receive_packet(c, p) == 0) {
                av_packet_unref(p);
            }
        }
        double us = (cpu() - t) / 1e3 / n;
        av_packet_free(p);
        av_frame_free(f);
        avcodec_free_context(c);
        return us;
    }

    static double libopusDecode(List<byte[]> packets) {
        AVCodec codec = avcodec_find_decoder_by_name("libopus");
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.sample_rate(48000);
        av_channel_layout_default(c.ch_layout(), 1);
        c.request_sample_fmt(AV_SAMPLE_FMT_S16);
        if (avcodec_open2(c, codec, (AVDictionary) null) < 0) {
            throw new IllegalStateException("libopus decoder did not open");
        }
        AVPacket p = av_packet_alloc();
        AVFrame f = av_frame_alloc();
        short[] pcm = new short[FRAME];
        int warm = 1000;
        int n = 2000;
        long t = 0;
        for (int i = 0; i < warm + n; i++) {
            if (i == warm) {
                t = cpu();
            }
            byte[] b = packets.get(i % 50);
            av_new_packet(p, b.length);
            p.data().put(b, 0, b.length);
            avcodec_send_packet(c, p);
            while (avcodec_receive_frame(c, f) == 0) {
                new ShortPointer(f.data(0)).get(pcm, 0, Math.min(FRAME, f.nb_samples()));
            }
            av_packet_unref(p);
        }
        double us = (cpu() - t) / 1e3 / n;
        av_frame_free(f);
        av_packet_free(p);
        avcodec_free_context(c);
        return us;
    }
}
