package org.hypertube.torrent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ReadableByteChannel;

/** A {@link PeerTransport} over a TCP socket opened from a {@link java.nio.channels.SocketChannel}. */
final class TcpTransport implements PeerTransport {
    private final Socket socket;

    TcpTransport(Socket socket) {
        if (socket.getChannel() == null) {
            throw new IllegalArgumentException("the socket must come from a SocketChannel");
        }
        this.socket = socket;
    }

    @Override
    public InetSocketAddress remote() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    @Override
    public ReadableByteChannel input() {
        return socket.getChannel();
    }

    @Override
    public OutputStream output() throws IOException {
        return socket.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
