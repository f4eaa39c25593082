// Command sfu-bench measures the forwarding capacity of the sfu-worker with real WebRTC peers (Pion):
// one publisher sends a ~500 kbps synthetic VP8 stream, and subscriber PeerConnections are added in
// steps; each step reports delivered loss and the latency each packet picked up between the
// publisher's send and a subscriber's receive. The same measurement against a trivial UDP relay
// (mode relay) gives the floor. Everything stays on 127.0.0.1.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

var (
	mode        = flag.String("mode", "sfu", "sfu | relay | relay-server")
	control     = flag.String("control", "http://127.0.0.1:8090", "worker control API")
	relayAddr   = flag.String("relay", "127.0.0.1:41000", "relay-server address")
	steps       = flag.String("consumers", "50,100,200,300,400,500,600", "subscriber counts to measure")
	pps         = flag.Int("pps", 50, "publisher packets per second")
	size        = flag.Int("size", 1200, "RTP payload bytes (50 pps x 1200 B ~ 500 kbps)")
	stepSeconds = flag.Int("seconds", 10, "measurement window per step")
	workerPid   = flag.Int("worker-pid", 0, "pid of the forwarding process, for its CPU use")
)

// latency histogram in 20 µs buckets up to 200 ms
const bucketNs = 20_000
const buckets = 10_000

type stats struct {
	received atomic.Int64
	hist     [buckets + 1]atomic.Int64
}

func (s *stats) record(sentNs int64) {
	s.received.Add(1)
	d := (time.Now().UnixNano() - sentNs) / bucketNs
	if d < 0 {
		d = 0
	}
	if d > buckets {
		d = buckets
	}
	s.hist[d].Add(1)
}

func (s *stats) reset() {
	s.received.Store(0)
	for i := range s.hist {
		s.hist[i].Store(0)
	}
}

func (s *stats) percentile(p float64) float64 {
	total := int64(0)
	for i := range s.hist {
		total += s.hist[i].Load()
	}
	if total == 0 {
		return -1
	}
	want := int64(p * float64(total))
	acc := int64(0)
	for i := range s.hist {
		acc += s.hist[i].Load()
		if acc >= want {
			return float64(i*bucketNs) / 1e6
		}
	}
	return float64(buckets*bucketNs) / 1e6
}

var st stats
var sent atomic.Int64

func payload(seqInFrame int, keyframe bool) []byte {
	b := make([]byte, *size)
	if seqInFrame == 0 {
		b[0] = 0x10 // VP8 descriptor: start of partition 0
		if keyframe {
			b[1] = 0x00 // VP8 frame tag: key frame
		} else {
			b[1] = 0x01
		}
	}
	binary.BigEndian.PutUint64(b[2:], uint64(time.Now().UnixNano()))
	return b
}

func cpuTicks(pid int) int64 {
	if pid == 0 {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

func main() {
	flag.Parse()
	switch *mode {
	case "relay-server":
		relayServer()
	case "relay":
		run(relayStart, relayAdd)
	default:
		run(sfuStart, sfuAdd)
	}
}

// forwarder reports the latency the forwarder itself adds per packet (receive call to send call),
// measured inside it: "reset" starts a window, "read" returns "packets p50µs p99µs".
type forwarder interface {
	reset()
	read() string
}

type sfuForwarder struct{}

func (sfuForwarder) reset() { httpGet("/v1/stats/forwarding?reset=true") }
func (sfuForwarder) read() string {
	var s struct {
		Packets   int64   `json:"packets"`
		P50Micros float64 `json:"p50Micros"`
		P99Micros float64 `json:"p99Micros"`
	}
	_ = json.Unmarshal([]byte(httpGet("/v1/stats/forwarding")), &s)
	return fmt.Sprintf("%10d %9.0f %9.0f", s.Packets, s.P50Micros, s.P99Micros)
}

func httpGet(path string) string {
	resp, err := http.Get(*control + path)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

type relayForwarder struct{}

func (relayForwarder) reset() { relayQuery('R') }
func (relayForwarder) read() string { return relayQuery('Q') }

func relayQuery(c byte) string {
	addr, _ := net.ResolveUDPAddr("udp4", *relayAddr)
	conn, err := net.DialUDP("udp4", nil, addr)
	if err != nil {
		return ""
	}
	defer conn.Close()
	_, _ = conn.Write([]byte{c})
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 200)
	n, _ := conn.Read(buf)
	return string(buf[:n])
}

func run(start func() func([]byte), add func(i int)) {
	send := start()
	go func() { // the publisher: pps packets/s, 2 packets per frame, a key frame every 2 s
		tick := time.NewTicker(time.Second / time.Duration(*pps))
		n := 0
		for range tick.C {
			frame := n / 2
			send(payload(n%2, frame%60 == 0))
			sent.Add(1)
			n++
		}
	}()
	var fw forwarder = sfuForwarder{}
	if *mode == "relay" {
		fw = relayForwarder{}
	}
	fmt.Printf("%-6s %9s %12s %12s %8s %12s %12s %7s %10s %9s %9s\n", "mode", "consumers", "expected", "received", "loss%",
		"e2e p50 ms", "e2e p99 ms", "cpu %", "fwd pkts", "fwd p50µs", "fwd p99µs")
	have := 0
	for _, s := range strings.Split(*steps, ",") {
		want, _ := strconv.Atoi(s)
		for ; have < want; have++ {
			add(have)
		}
		time.Sleep(3 * time.Second) // let the new subscribers connect and get a key frame
		st.reset()
		fw.reset()
		sent0 := sent.Load()
		cpu0 := cpuTicks(*workerPid)
		t0 := time.Now()
		time.Sleep(time.Duration(*stepSeconds) * time.Second)
		expected := (sent.Load() - sent0) * int64(have)
		got := st.received.Load()
		cpu := float64(cpuTicks(*workerPid)-cpu0) / 100 / time.Since(t0).Seconds() * 100
		loss := 100 * (1 - float64(got)/float64(expected))
		fmt.Printf("%-6s %9d %12d %12d %8.2f %12.2f %12.2f %7.0f %s\n", *mode, have, expected, got, loss,
			st.percentile(0.5), st.percentile(0.99), cpu, fw.read())
	}
}

// ---- SFU: Pion peers against the worker's control API ----

var api *webrtc.API

func newAPI() *webrtc.API {
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		panic(err)
	}
	se := webrtc.SettingEngine{}
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIncludeLoopbackCandidate(true)
	// Pion answers an ICE-lite offer as DTLS server by default; the worker is always the DTLS server.
	if err := se.SetAnsweringDTLSRole(webrtc.DTLSRoleClient); err != nil {
		panic(err)
	}
	se.SetInterfaceFilter(func(name string) bool { return name == "lo" })
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	// No interceptors: the subscribers only count packets, they never decode.
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithSettingEngine(se))
}

type transport struct {
	Offer *struct {
		Sdp     string `json:"sdp"`
		Version int64  `json:"version"`
	} `json:"offer"`
}

func post(path string, body any) transport {
	b, _ := json.Marshal(body)
	resp, err := http.Post(*control+path, "application/json", bytes.NewReader(b))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		panic(fmt.Sprintf("%s -> %d %s", path, resp.StatusCode, data))
	}
	var t transport
	_ = json.Unmarshal(data, &t)
	return t
}

func join(id string, track *webrtc.TrackLocalStaticRTP) *webrtc.PeerConnection {
	pc, err := api.NewPeerConnection(webrtc.Configuration{BundlePolicy: webrtc.BundlePolicyMaxBundle, RTCPMuxPolicy: webrtc.RTCPMuxPolicyRequire})
	if err != nil {
		panic(err)
	}
	pc.OnTrack(func(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		buf := make([]byte, 1500)
		p := &rtp.Packet{}
		for {
			n, _, err := t.Read(buf)
			if err != nil {
				return
			}
			if p.Unmarshal(buf[:n]) == nil && len(p.Payload) >= 10 {
				st.record(int64(binary.BigEndian.Uint64(p.Payload[2:10])))
			}
		}
	})
	created := post("/v1/rooms/bench/participants", map[string]any{"participantId": id})
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: created.Offer.Sdp}); err != nil {
		panic(err)
	}
	if track != nil {
		if _, err := pc.AddTrack(track); err != nil {
			panic(err)
		}
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		panic(err)
	}
	if err := pc.SetLocalDescription(answer); err != nil {
		panic(err)
	}
	post("/v1/rooms/bench/participants/"+id+"/answer", map[string]any{"sdp": answer.SDP, "version": created.Offer.Version})
	return pc
}

func sfuStart() func([]byte) {
	api = newAPI()
	track, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "video", "pub")
	if err != nil {
		panic(err)
	}
	pc := join("pub", track)
	connected := make(chan struct{})
	var once sync.Once
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			once.Do(func() { close(connected) })
		}
	})
	select {
	case <-connected:
	case <-time.After(15 * time.Second):
		panic("publisher did not connect")
	}
	var seq uint16
	var ts uint32
	return func(p []byte) {
		seq++
		if p[0] == 0x10 {
			ts += 90000 * 2 / uint32(*pps)
		}
		_ = track.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: ts, Marker: p[0] != 0x10}, Payload: p})
	}
}

func sfuAdd(i int) {
	join(fmt.Sprintf("s%d", i), nil)
}

// ---- the floor: a trivial UDP relay (no crypto, no rewriting) ----

func relayServer() {
	addr, _ := net.ResolveUDPAddr("udp4", *relayAddr)
	conn, err := net.ListenUDP("udp4", addr)
	if err != nil {
		panic(err)
	}
	var subs []*net.UDPAddr
	var fwd stats
	buf := make([]byte, 2048)
	for {
		n, from, err := conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		received := time.Now()
		if n == 1 {
			switch buf[0] {
			case 'S':
				subs = append(subs, from)
			case 'R':
				fwd.reset()
				_, _ = conn.WriteToUDP([]byte("ok"), from)
			case 'Q':
				_, _ = conn.WriteToUDP([]byte(fmt.Sprintf("%10d %9.0f %9.0f", fwd.received.Load(),
					fwd.percentile(0.5)*1000, fwd.percentile(0.99)*1000)), from)
			}
			continue
		}
		for _, s := range subs {
			_, _ = conn.WriteToUDP(buf[:n], s)
			fwd.record(received.UnixNano())
		}
	}
}

func relayStart() func([]byte) {
	addr, _ := net.ResolveUDPAddr("udp4", *relayAddr)
	conn, err := net.DialUDP("udp4", nil, addr)
	if err != nil {
		panic(err)
	}
	return func(p []byte) {
		hdr := make([]byte, 12, 12+len(p))
		_, _ = conn.Write(append(hdr, p...))
	}
}

func relayAdd(int) {
	addr, _ := net.ResolveUDPAddr("udp4", *relayAddr)
	conn, err := net.DialUDP("udp4", nil, addr)
	if err != nil {
		panic(err)
	}
	_, _ = conn.Write([]byte{'S'})
	go func() {
		buf := make([]byte, 2048)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			if n >= 22 {
				st.record(int64(binary.BigEndian.Uint64(buf[14:22])))
			}
		}
	}()
}

var _ = sort.Ints
