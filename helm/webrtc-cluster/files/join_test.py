"""helm test: mint a join token with the API key, open /v1/signal, join, expect `joined`. Standard library only."""
import base64, json, os, socket, struct, sys, urllib.request

host, port = os.environ["SIGNALING"].rsplit(":", 1)
api_key = os.environ["API_KEYS"].split(",")[0].strip()
room = "helm-test"

request = urllib.request.Request(
    f"http://{host}:{port}/v1/tokens", method="POST",
    data=json.dumps({"room": room, "identity": "helm-test", "name": "helm test", "ttlSeconds": 60}).encode(),
    headers={"Authorization": "Bearer " + api_key, "Content-Type": "application/json"})
token = json.load(urllib.request.urlopen(request, timeout=10))["token"]
print("token minted")

sock = socket.create_connection((host, int(port)), timeout=10)
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall((f"GET /v1/signal HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
response = b""
while b"\r\n\r\n" not in response:
    response += sock.recv(4096)
head, rest = response.split(b"\r\n\r\n", 1)
if b" 101 " not in head.split(b"\r\n")[0]:
    sys.exit("no WebSocket upgrade: " + head.decode(errors="replace"))


def send(obj):  # one masked text frame, as a client must send
    data, mask = json.dumps(obj).encode(), os.urandom(4)
    header = bytes([0x81]) + (bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(data)))
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def read(n):
    global rest
    while len(rest) < n:
        chunk = sock.recv(4096)
        if not chunk:
            sys.exit("connection closed")
        rest += chunk
    out, rest = rest[:n], rest[n:]
    return out


def receive():
    b0, b1 = read(2)
    length = b1 & 0x7F
    if length == 126:
        length = struct.unpack(">H", read(2))[0]
    elif length == 127:
        length = struct.unpack(">Q", read(8))[0]
    payload = read(length)
    if b0 & 0x0F == 0x8:
        sys.exit("closed by server: " + payload[2:].decode(errors="replace"))
    return json.loads(payload)


# v2: rooms in auto mode (the default) move between mesh and SFU, which v1 clients may not join.
send({"type": "join", "v": 2, "room": room, "token": token})
message = receive()
if message.get("type") != "joined":
    sys.exit("expected joined, got " + json.dumps(message))
print(f"joined {room} as {message['participant']['id']} (topology {message['topology']})")
send({"type": "leave"})
