package org.hypertube.torrent.hostile;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.peer.Handshake;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.PeerMessage;

/**
 * A raw-socket peer that answers the handshake and then follows a script, to test how the engine
 * treats peers that lie, stall or send garbage. Listens on 127.0.0.1, port 0.
 */
final class ScriptedPeer implements AutoCloseable {
    interface Script {
        void run(DataInputStream in, DataOutputStream out, ScriptedPeer peer) throws IOException;
    }

    private final ServerSocket server;
    private final InfoHash infoHash;
    private final Script script;
    private final byte[] peerId;
    final AtomicBoolean droppedByEngine = new AtomicBoolean();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requestsSeen = new AtomicInteger();
    private volatile Socket current;

    ScriptedPeer(InfoHash infoHash, Script script) throws IOException {
        this(infoHash, "-XX0001-hostilepeer1", script);
    }

    /** {@code peerId}: 20 characters; two scripted peers in one swarm need different ones. */
    ScriptedPeer(InfoHash infoHash, String peerId, Script script) throws IOException {
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.infoHash = infoHash;
        this.script = script;
        this.peerId = peerId.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Thread.ofVirtual().start(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                current = s;
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Handshake.decode(Handshake.readFully(in));
            out.write(new Handshake(Handshake.ourReserved(), infoHash, peerId).encode());
            script.run(in, out, this);
            // Keep reading until the engine hangs up, to observe whether it drops us.
            while (true) {
                MessageCodec.read(in, 1 << 20);
            }
        } catch (IOException e) {
            droppedByEngine.set(true);
        }
    }

    static void send(DataOutputStream out, PeerMessage m) throws IOException {
        out.write(MessageCodec.encode(m));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = current;
        if (s != null) {
            s.close();
        }
    }
}
