// Command sfu-bench measures the forwarding capacity of the sfu-worker with real WebRTC peers (Pion).
//
// Shape: P publishers each send a ~500 kbps synthetic VP8 stream (50 pps x 1200 B, a key frame every
// 2 s, the send time in the payload); subscriber PeerConnections are added in steps, and every
// subscriber receives every publisher, so consumers = P x subscribers. Each step reports delivered
// loss, where the loss happened (worker socket, worker, client sockets, elsewhere), end-to-end
// latency, the latency the forwarder itself adds, and the CPU of both sides. The same shape against a
// trivial UDP relay (mode relay) gives the floor. Everything stays on 127.0.0.1.
//
// To keep the client cheap per consumer, subscribers count RTP at the wire: every PeerConnection has
// real ICE, DTLS and SRTP, but its UDP socket is wrapped; RTP datagrams are counted from their
// (unencrypted) header and only every Nth sequence number (-decrypt-every) is handed on to Pion,
// which authenticates and decrypts it; the send time inside those is what the latency is computed
// from (wire arrival - send time). STUN, DTLS and RTCP always go to Pion.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/transport/v5"
	"github.com/pion/transport/v5/stdnet"
	"github.com/pion/webrtc/v4"
	"golang.org/x/net/ipv4"
)

var (
	mode         = flag.String("mode", "sfu", "sfu | relay | relay-server")
	control      = flag.String("control", "http://127.0.0.1:8090", "worker control API")
	relayAddr    = flag.String("relay", "127.0.0.1:41000", "relay-server address")
	steps        = flag.String("consumers", "500,1000,1500,2000", "consumer counts (publishers x subscribers) to measure")
	publishers   = flag.Int("publishers", 10, "publishers; every subscriber receives all of them")
	pps          = flag.Int("pps", 50, "packets per second per publisher")
	size         = flag.Int("size", 1200, "RTP payload bytes (50 pps x 1200 B ~ 500 kbps)")
	stepSeconds  = flag.Int("seconds", 10, "measurement window per step")
	settle       = flag.Duration("settle", 3*time.Second, "wait after a step's subscribers connected (key frame every 2 s)")
	decryptEvery = flag.Int("decrypt-every", 16, "hand every Nth RTP sequence number to Pion (SRTP decrypt, latency sample); 1 = all")
	joinParallel = flag.Int("join-parallel", 4, "subscribers joined concurrently")
	workerPid    = flag.Int("worker-pid", 0, "pid of the forwarding process, for its CPU use")
	workerPort   = flag.Int("worker-port", 0, "UDP port of the forwarding process, for its socket drops")
)

// ---- latency histogram: 20 µs buckets up to 200 ms ----

const bucketNs = 20_000
const buckets = 10_000

type hist struct {
	n [buckets + 1]atomic.Int64
}

func (h *hist) record(d int64) {
	d /= bucketNs
	if d < 0 {
		d = 0
	}
	if d > buckets {
		d = buckets
	}
	h.n[d].Add(1)
}

func (h *hist) reset() {
	for i := range h.n {
		h.n[i].Store(0)
	}
}

func (h *hist) count() int64 {
	t := int64(0)
	for i := range h.n {
		t += h.n[i].Load()
	}
	return t
}

// percentile in ms (upper edge of the bucket), -1 when empty
func (h *hist) percentile(p float64) float64 {
	total := h.count()
	if total == 0 {
		return -1
	}
	want := int64(math.Ceil(p * float64(total)))
	acc := int64(0)
	for i := range h.n {
		acc += h.n[i].Load()
		if acc >= want {
			return float64((i+1)*bucketNs) / 1e6
		}
	}
	return float64(buckets*bucketNs) / 1e6
}

var (
	wireRTP  atomic.Int64 // RTP datagrams that reached a subscriber socket
	e2e      hist         // send -> wire arrival, sampled packets
	lateness hist         // publisher pacing: how late each send was against its slot
	pubSent  []atomic.Int64
)

// arrival times of the sampled packets, until Pion hands them over decrypted (SFU mode)
var arrivals = struct {
	sync.Mutex
	m map[uint64]int64
}{m: map[uint64]int64{}}

func arrivalKey(ssrc uint32, seq uint16) uint64 { return uint64(ssrc)<<16 | uint64(seq) }

func isRTP(b []byte) bool {
	if len(b) < 12 || b[0] < 128 || b[0] > 191 {
		return false
	}
	pt := b[1] & 0x7f
	return pt < 64 || pt > 95 // RFC 5761: 64-95 is RTCP
}

// ---- wire counting: a UDP socket wrapper under Pion's ICE ----

// wireConn reads with recvmmsg (up to 16 datagrams per call when several are queued) and hands on
// to Pion's ICE only what onWire does not swallow. ICE reads it from one goroutine.
type wireConn struct {
	*net.UDPConn
	batch      *ipv4.PacketConn
	msgs       []ipv4.Message
	have, next int
	onWire     func([]byte) bool
}

func newWireConn(c *net.UDPConn, onWire func([]byte) bool) *wireConn {
	w := &wireConn{UDPConn: c, batch: ipv4.NewPacketConn(c), msgs: make([]ipv4.Message, 16), onWire: onWire}
	for i := range w.msgs {
		w.msgs[i].Buffers = [][]byte{make([]byte, 1500)}
	}
	return w
}

// onWireSRTP counts an RTP datagram and says whether it is swallowed (not handed on to Pion).
func onWireSRTP(b []byte) bool {
	if !isRTP(b) {
		return false
	}
	wireRTP.Add(1)
	seq := binary.BigEndian.Uint16(b[2:])
	if int(seq)%*decryptEvery != 0 {
		return true
	}
	now := time.Now().UnixNano()
	arrivals.Lock()
	arrivals.m[arrivalKey(binary.BigEndian.Uint32(b[8:]), seq)] = now
	arrivals.Unlock()
	return false
}

func (c *wireConn) readNext(b []byte) (int, netip.AddrPort, error) {
	for {
		for c.next < c.have {
			m := &c.msgs[c.next]
			c.next++
			d := m.Buffers[0][:m.N]
			if c.onWire(d) {
				continue
			}
			var from netip.AddrPort
			if u, ok := m.Addr.(*net.UDPAddr); ok {
				from = u.AddrPort()
				from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
			}
			return copy(b, d), from, nil
		}
		n, err := c.batch.ReadBatch(c.msgs, 0)
		if err != nil {
			return 0, netip.AddrPort{}, err
		}
		c.have, c.next = n, 0
	}
}

func (c *wireConn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	return c.readNext(b)
}

func (c *wireConn) WriteToAddrPort(b []byte, a netip.AddrPort) (int, error) {
	return c.UDPConn.WriteToUDPAddrPort(b, a)
}

func (c *wireConn) ReadFromUDP(b []byte) (int, *net.UDPAddr, error) {
	n, a, err := c.readNext(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(a), nil
}

func (c *wireConn) ReadFrom(b []byte) (int, net.Addr, error) {
	return c.ReadFromUDP(b)
}

type wireNet struct {
	*stdnet.Net
}

func (n *wireNet) ListenUDP(network string, laddr *net.UDPAddr) (transport.UDPConn, error) {
	c, err := net.ListenUDP(network, laddr)
	if err != nil {
		return nil, err
	}
	return newWireConn(c, onWireSRTP), nil
}

func (n *wireNet) ListenPacket(network, address string) (net.PacketConn, error) {
	c, err := net.ListenPacket(network, address) //nolint:noctx
	if err != nil {
		return nil, err
	}
	if u, ok := c.(*net.UDPConn); ok {
		return newWireConn(u, onWireSRTP), nil
	}
	return c, nil
}

// ---- /proc readings ----

func cpuTicks(path string) int64 {
	u, s := cpuUserSys(path)
	return u + s
}

// cpuUserSys returns utime and stime (clock ticks) from a /proc/.../stat file.
func cpuUserSys(path string) (int64, int64) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u, s
}

// receiveThread finds the worker's UDP receive thread (Linux comm is cut at 15 characters).
func receiveThread(pid int) string {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/comm", pid))
	for _, t := range tasks {
		c, _ := os.ReadFile(t)
		if strings.TrimSpace(string(c)) == "sfu-udp-receive" {
			return filepath.Join(filepath.Dir(t), "stat")
		}
	}
	return ""
}

// udpSockets reads /proc/net/udp: drops and receive-queue bytes of the UDP socket bound to port, and
// the sums over this process's own UDP sockets.
type udpState struct {
	wkDrops, wkQueue, clDrops, clQueue int64
}

func udpSockets(port int) (u udpState) {
	mine := map[string]bool{}
	fds, _ := os.ReadDir("/proc/self/fd")
	for _, fd := range fds {
		l, err := os.Readlink("/proc/self/fd/" + fd.Name())
		if err == nil && strings.HasPrefix(l, "socket:[") {
			mine[l[8:len(l)-1]] = true
		}
	}
	// the JVM's DatagramChannel is an IPv6 (dual-stack) socket even when bound to 127.0.0.1: read both
	var lines []string
	for _, f := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		data, _ := os.ReadFile(f)
		lines = append(lines, strings.Split(string(data), "\n")[1:]...)
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 13 {
			continue
		}
		drops, _ := strconv.ParseInt(f[len(f)-1], 10, 64)
		queue, _ := strconv.ParseInt(f[4][strings.IndexByte(f[4], ':')+1:], 16, 64)
		local := f[1]
		p, _ := strconv.ParseInt(local[strings.IndexByte(local, ':')+1:], 16, 64)
		if port != 0 && int(p) == port {
			u.wkDrops += drops
			u.wkQueue += queue
		}
		if mine[f[9]] {
			u.clDrops += drops
			u.clQueue += queue
		}
	}
	return
}

// ---- forwarder under test ----

// fwdStats is what the forwarder says about itself for one window.
type fwdStats struct {
	copies    int64   // copies it handed to the send call
	p50, p99  float64 // µs it added per copy
	in, out   float64 // cumulative media packets received / sent
	drops     float64 // cumulative datagrams it refused
	consumers float64
	note      string
}

type forwarder interface {
	reset()
	read() fwdStats
}

type sfuForwarder struct{}

func (sfuForwarder) reset() { httpGet("/v1/stats/forwarding?reset=true") }
func (sfuForwarder) read() fwdStats {
	var s struct {
		Packets   int64   `json:"packets"`
		P50Micros float64 `json:"p50Micros"`
		P99Micros float64 `json:"p99Micros"`
	}
	_ = json.Unmarshal([]byte(httpGet("/v1/stats/forwarding")), &s)
	m := metrics()
	return fwdStats{copies: s.Packets, p50: s.P50Micros, p99: s.P99Micros, in: m["wrc_sfu_rtp_packets_in_total"],
		out: m["wrc_sfu_rtp_packets_out_total"], drops: m["wrc_sfu_datagrams_dropped_total"], consumers: m["wrc_sfu_consumers"]}
}

// metrics sums the worker's Prometheus samples by name (labels dropped).
func metrics() map[string]float64 {
	out := map[string]float64{}
	for _, l := range strings.Split(httpGet("/q/metrics"), "\n") {
		if !strings.HasPrefix(l, "wrc_sfu_") {
			continue
		}
		name := l[:strings.IndexAny(l, "{ ")]
		v, err := strconv.ParseFloat(l[strings.LastIndexByte(l, ' ')+1:], 64)
		if err == nil {
			out[name] += v
		}
	}
	return out
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
func (relayForwarder) read() fwdStats {
	var s fwdStats
	_, _ = fmt.Sscan(relayQuery('Q'), &s.copies, &s.p50, &s.p99, &s.in, &s.out)
	s.consumers = -1
	return s
}

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

// ---- the run ----

func main() {
	flag.Parse()
	if *decryptEvery < 1 {
		*decryptEvery = 1
	}
	switch *mode {
	case "relay-server":
		relayServer()
	case "relay":
		run(relayStart, relayAdd, relayForwarder{})
	default:
		run(sfuStart, sfuAdd, sfuForwarder{})
	}
}

// publish paces one publisher at pps from its own phase, never skipping a slot: if the client
// cannot keep up, sends fall behind (measured as lateness, and as a lower achieved rate).
func publish(i int, send func(seq uint16, p []byte)) {
	period := time.Second / time.Duration(*pps)
	t0 := time.Now().Add(period * time.Duration(i) / time.Duration(*publishers))
	for n := 0; ; n++ {
		slot := t0.Add(period * time.Duration(n))
		if d := time.Until(slot); d > 0 {
			time.Sleep(d)
		}
		lateness.record(int64(time.Since(slot)))
		frame := n / 2
		b := make([]byte, *size)
		if n%2 == 0 {
			b[0] = 0x10 // VP8 descriptor: start of partition 0
			if frame%(*pps) == 0 {
				b[1] = 0x00 // VP8 frame tag: key frame (every pps frames = 2 s)
			} else {
				b[1] = 0x01
			}
		}
		binary.BigEndian.PutUint64(b[2:], uint64(time.Now().UnixNano()))
		send(uint16(n), b)
		pubSent[i].Add(1)
	}
}

type snapshot struct {
	at           time.Time
	sent         []int64
	wire         int64
	wkCPU, wkSys int64
	rxCPU, clCPU int64
	udp          udpState
	fwd          fwdStats
}

func take(fw forwarder, rxStat string) snapshot {
	s := snapshot{at: time.Now(), wire: wireRTP.Load(), clCPU: cpuTicks("/proc/self/stat")}
	for i := range pubSent {
		s.sent = append(s.sent, pubSent[i].Load())
	}
	if *workerPid != 0 {
		u, sys := cpuUserSys(fmt.Sprintf("/proc/%d/stat", *workerPid))
		s.wkCPU, s.wkSys = u+sys, sys
	}
	if rxStat != "" {
		s.rxCPU = cpuTicks(rxStat)
	}
	s.udp = udpSockets(*workerPort)
	s.fwd = fw.read()
	return s
}

func pct(ticks int64, secs float64) float64 { return float64(ticks) / 100 / secs * 100 }

func run(start func(n int) []func(seq uint16, p []byte), add func(i int) func() bool, fw forwarder) {
	pubSent = make([]atomic.Int64, *publishers)
	for i, send := range start(*publishers) {
		go publish(i, send)
	}
	rxStat := ""
	if *mode == "sfu" && *workerPid != 0 {
		rxStat = receiveThread(*workerPid)
	}
	fmt.Printf("# %s: %d publishers x %d pps x %d B; every subscriber receives every publisher; window %d s; "+
		"RTP counted at the client sockets, every %dth seq decrypted by Pion for latency\n",
		*mode, *publishers, *pps, *size, *stepSeconds, *decryptEvery)
	fmt.Printf("%-5s %5s %5s %9s %8s %8s %6s %7s %7s %7s %7s %7s %6s %6s %6s %6s %6s %6s %9s %9s %8s %9s %8s %9s %s\n",
		"mode", "pubs", "subs", "consumers", "pub%", "lateP99", "loss%", "e2eP50", "e2eP99", "fwdP50", "fwdP99", "samples",
		"wkCPU", "wkSys", "rxThr", "clCPU", "conn", "cons",
		"lostInFw", "wkSockDr", "wkMaxQkB", "clSockDr", "clMaxQkB", "other", "flags")
	var connected []func() bool
	subs := 0
	for _, s := range strings.Split(*steps, ",") {
		want, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			continue
		}
		wantSubs := (want + *publishers - 1) / *publishers
		// join the step's subscribers, joinParallel at a time
		var mu sync.Mutex
		var wg sync.WaitGroup
		sem := make(chan struct{}, *joinParallel)
		for ; subs < wantSubs; subs++ {
			wg.Add(1)
			sem <- struct{}{}
			go func(i int) {
				defer wg.Done()
				c := add(i)
				mu.Lock()
				connected = append(connected, c)
				mu.Unlock()
				<-sem
			}(subs)
		}
		wg.Wait()
		up := 0
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			up = 0
			for _, c := range connected {
				if c() {
					up++
				}
			}
			if up == subs {
				break
			}
		}
		time.Sleep(*settle)

		e2e.reset()
		lateness.reset()
		arrivals.Lock()
		arrivals.m = map[uint64]int64{}
		arrivals.Unlock()
		fw.reset()
		a := take(fw, rxStat)
		// the receive queues, sampled during the window (their maximum says where packets waited)
		var maxWkQ, maxClQ int64
		for end := a.at.Add(time.Duration(*stepSeconds) * time.Second); time.Until(end) > 0; {
			time.Sleep(min(500*time.Millisecond, time.Until(end)))
			u := udpSockets(*workerPort)
			maxWkQ, maxClQ = max(maxWkQ, u.wkQueue), max(maxClQ, u.clQueue)
		}
		b := take(fw, rxStat)
		secs := b.at.Sub(a.at).Seconds()

		sentAll, minPub := int64(0), int64(math.MaxInt64)
		for i := range a.sent {
			d := b.sent[i] - a.sent[i]
			sentAll += d
			minPub = min(minPub, d)
		}
		target := float64(*pps) * secs
		pubRate := 100 * float64(minPub) / target // the slowest publisher, in % of its nominal rate
		consumers := *publishers * subs
		expected := sentAll * int64(subs)
		got := b.wire - a.wire
		loss := 100 * (1 - float64(got)/float64(expected))
		// attribution: what the forwarder did not send, what the sockets dropped, the rest
		fwdOut := int64(b.fwd.out - a.fwd.out)
		lostInFw := expected - fwdOut
		wkDr := b.udp.wkDrops - a.udp.wkDrops
		clDr := b.udp.clDrops - a.udp.clDrops
		other := fwdOut - got - clDr
		flags := []string{}
		if pubRate < 99 {
			flags = append(flags, "PUBLISHERS-BEHIND")
		}
		if up < subs {
			flags = append(flags, fmt.Sprintf("ONLY-%d-CONNECTED", up))
		}
		if b.fwd.consumers >= 0 && int(b.fwd.consumers) != consumers {
			flags = append(flags, fmt.Sprintf("WORKER-HAS-%d-CONSUMERS", int(b.fwd.consumers)))
		}
		if d := b.fwd.drops - a.fwd.drops; d > 0 {
			flags = append(flags, fmt.Sprintf("worker-refused-%d", int64(d)))
		}
		rx := "-"
		if rxStat != "" {
			rx = fmt.Sprintf("%.0f", pct(b.rxCPU-a.rxCPU, secs))
		}
		fmt.Printf("%-5s %5d %5d %9d %8.1f %8.1f %6.2f %7.2f %7.2f %7.0f %7.0f %7d %6.0f %6.0f %6s %6.0f %6d %6.0f %9d %9d %8d %9d %8d %9d %s\n",
			*mode, *publishers, subs, consumers, pubRate, lateness.percentile(0.99), loss, e2e.percentile(0.5),
			e2e.percentile(0.99), b.fwd.p50, b.fwd.p99, e2e.count(),
			pct(b.wkCPU-a.wkCPU, secs), pct(b.wkSys-a.wkSys, secs), rx, pct(b.clCPU-a.clCPU, secs),
			up, b.fwd.consumers,
			lostInFw, wkDr, max(maxWkQ, b.udp.wkQueue)/1024, clDr, max(maxClQ, b.udp.clQueue)/1024, other, strings.Join(flags, ","))
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
	std, err := stdnet.NewNet()
	if err != nil {
		panic(err)
	}
	se.SetNet(&wireNet{std})
	// An empty interceptor registry (NewAPI without one installs Pion's defaults): subscribers only
	// count packets, they send no NACK, PLI or receiver reports (Pion's NACK generator would take the
	// packets the wire wrapper keeps from it for losses); publishers send no sender reports and do not
	// answer NACK or PLI (a key frame comes every 2 s regardless).
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithSettingEngine(se),
		webrtc.WithInterceptorRegistry(&interceptor.Registry{}))
}

type transportResp struct {
	Offer *struct {
		Sdp     string `json:"sdp"`
		Version int64  `json:"version"`
	} `json:"offer"`
}

func post(path string, body any) transportResp {
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
	var t transportResp
	_ = json.Unmarshal(data, &t)
	return t
}

// onSample receives the packets the wire wrapper handed on, after Pion's SRTP decrypt.
func onSample(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	buf := make([]byte, 1500)
	p := &rtp.Packet{}
	for {
		n, _, err := t.Read(buf)
		if err != nil {
			return
		}
		if p.Unmarshal(buf[:n]) != nil || len(p.Payload) < 10 {
			continue
		}
		k := arrivalKey(p.SSRC, p.SequenceNumber)
		arrivals.Lock()
		at, ok := arrivals.m[k]
		delete(arrivals.m, k)
		arrivals.Unlock()
		if ok {
			e2e.record(at - int64(binary.BigEndian.Uint64(p.Payload[2:10])))
		}
	}
}

// join creates the participant and its PeerConnection; the returned func says whether it is connected.
func join(id string, track *webrtc.TrackLocalStaticRTP) (*webrtc.PeerConnection, func() bool) {
	pc, err := api.NewPeerConnection(webrtc.Configuration{BundlePolicy: webrtc.BundlePolicyMaxBundle, RTCPMuxPolicy: webrtc.RTCPMuxPolicyRequire})
	if err != nil {
		panic(err)
	}
	var up atomic.Bool
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		up.Store(s == webrtc.PeerConnectionStateConnected)
	})
	pc.OnTrack(onSample)
	// publishers receive nobody; subscribers receive every publisher (the offer lists all existing producers)
	created := post("/v1/rooms/bench/participants", map[string]any{"participantId": id, "autoSubscribe": track == nil})
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
	next := post("/v1/rooms/bench/participants/"+id+"/answer", map[string]any{"sdp": answer.SDP, "version": created.Offer.Version})
	if next.Offer != nil {
		panic(id + ": unexpected renegotiation offer")
	}
	return pc, up.Load
}

func sfuStart(n int) []func(uint16, []byte) {
	api = newAPI()
	var sends []func(uint16, []byte)
	for i := 0; i < n; i++ {
		track, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "video", fmt.Sprintf("pub%d", i))
		if err != nil {
			panic(err)
		}
		_, up := join(fmt.Sprintf("pub%d", i), track)
		for deadline := time.Now().Add(15 * time.Second); !up(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				panic("publisher did not connect")
			}
		}
		var ts uint32
		sends = append(sends, func(seq uint16, p []byte) {
			if p[0] == 0x10 {
				ts += 90000 * 2 / uint32(*pps)
			}
			_ = track.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: ts,
				Marker: p[0] != 0x10}, Payload: p})
		})
	}
	return sends
}

func sfuAdd(i int) func() bool {
	_, up := join(fmt.Sprintf("s%d", i), nil)
	return up
}

// ---- the floor: a trivial UDP relay (no crypto, no rewriting) ----

func relayServer() {
	addr, _ := net.ResolveUDPAddr("udp4", *relayAddr)
	conn, err := net.ListenUDP("udp4", addr)
	if err != nil {
		panic(err)
	}
	_ = conn.SetReadBuffer(4 << 20) // as the worker's socket
	_ = conn.SetWriteBuffer(4 << 20)
	var subs []*net.UDPAddr
	var fwd hist
	var in, out int64
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
				_, _ = conn.WriteToUDP([]byte(fmt.Sprintf("%d %.0f %.0f %d %d", fwd.count(),
					fwd.percentile(0.5)*1000, fwd.percentile(0.99)*1000, in, out)), from)
			}
			continue
		}
		in++
		for _, s := range subs {
			if _, err := conn.WriteToUDP(buf[:n], s); err == nil {
				out++
			}
			fwd.record(int64(time.Since(received)))
		}
	}
}

func relayStart(n int) []func(uint16, []byte) {
	addr, _ := net.ResolveUDPAddr("udp4", *relayAddr)
	var sends []func(uint16, []byte)
	for i := 0; i < n; i++ {
		conn, err := net.DialUDP("udp4", nil, addr)
		if err != nil {
			panic(err)
		}
		ssrc := uint32(i + 1)
		sends = append(sends, func(seq uint16, p []byte) {
			b := make([]byte, 12, 12+len(p))
			b[0], b[1] = 0x80, 96
			binary.BigEndian.PutUint16(b[2:], seq)
			binary.BigEndian.PutUint32(b[8:], ssrc)
			_, _ = conn.Write(append(b, p...))
		})
	}
	return sends
}

func relayAdd(int) func() bool {
	addr, _ := net.ResolveUDPAddr("udp4", *relayAddr)
	conn, err := net.DialUDP("udp4", nil, addr)
	if err != nil {
		panic(err)
	}
	_, _ = conn.Write([]byte{'S'})
	// the same socket reader as in SFU mode (recvmmsg); every datagram is swallowed here
	w := newWireConn(conn, func(b []byte) bool {
		if !isRTP(b) || len(b) < 22 {
			return true
		}
		wireRTP.Add(1)
		// the same sample as in SFU mode (every Nth sequence number), read in the clear
		if int(binary.BigEndian.Uint16(b[2:]))%*decryptEvery == 0 {
			e2e.record(time.Now().UnixNano() - int64(binary.BigEndian.Uint64(b[14:22])))
		}
		return true
	})
	go func() {
		buf := make([]byte, 2048)
		_, _, _ = w.readNext(buf) // returns only when the socket fails
	}()
	return func() bool { return true }
}
